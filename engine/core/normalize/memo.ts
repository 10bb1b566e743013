/**
 * Per-source memo of what every row repeats. A 1M-row file names a handful of statuses and
 * locations and ~100k skus millions of times; one map lookup per field replaces the chain of
 * lookups (status map, location cache, alias map, item map, interner, unit spec) per row.
 * Interned ids start at -1 and are filled where the intake interns them, so ids come out in
 * the same order as without the memo.
 */
import type { Interner } from '../model/intern.ts';
import { statusBucket, type SourceTables } from './context.ts';
import type { ResolvedLocation } from './locations.ts';
import { StringTable } from './string-table.ts';
import { EventIdSet, type EventIdStore } from './event-ids.ts';

/** `bucket` undefined: the word is not in the source's status map; IGNORE: a derived total. */
export type StatusMemo = { word: string; bucket: number | undefined; id: number };

export type LocationMemo = { fine: string; compare: string; fineId: number; compareId: number };

/** Raw sku → canonical sku id; emptied whenever the item master changes. */
export class SkuMemo {
  private skus = new StringTable();
  private ids: number[] = [];
  /** Files come sorted by sku more often than not: the last raw sku and its id. */
  private lastSku: string | undefined;
  private lastId = -1;

  /** Canonical sku id of a raw sku, -1 when not remembered. */
  find(raw: string): number {
    if (raw === this.lastSku) return this.lastId;
    const slot = this.skus.find(raw);
    if (slot < 0) return -1;
    this.lastSku = raw;
    this.lastId = this.ids[slot] as number;
    return this.lastId;
  }

  remember(raw: string, id: number): void {
    this.ids[this.skus.add(raw)] = id;
  }

  forget(): void {
    this.skus = new StringTable();
    this.ids = [];
    this.lastSku = undefined;
  }
}

export class SourceMemo {
  readonly statuses = new Map<string, StatusMemo>();
  /** null: the code is not mapped. */
  readonly locations = new Map<string, LocationMemo | null>();
  /** Only for a source with sku aliases; the others share one (a raw sku resolves alike). */
  readonly skus = new SkuMemo();
  /** Event ids already taken (idempotency on source × source event id). */
  readonly eventIds: EventIdSet;

  constructor(
    readonly tables: SourceTables,
    idStore: EventIdStore,
  ) {
    this.eventIds = new EventIdSet(idStore);
  }
}

export function statusOf(memo: SourceMemo, word: string): StatusMemo {
  let s = memo.statuses.get(word);
  if (s === undefined) {
    s = { word, bucket: statusBucket(memo.tables, word), id: -1 };
    memo.statuses.set(word, s);
  }
  return s;
}

export function statusIdOf(statuses: Interner, s: StatusMemo): number {
  if (s.id < 0) s.id = statuses.id(s.word);
  return s.id;
}

export function placeOf(
  memo: SourceMemo,
  resolve: (source: string, code: string) => ResolvedLocation | undefined,
  code: string,
): LocationMemo | undefined {
  let loc = memo.locations.get(code);
  if (loc === undefined) {
    const r = resolve(memo.tables.def.id, code);
    loc = r ? { fine: r.fine, compare: r.compare, fineId: -1, compareId: -1 } : null;
    memo.locations.set(code, loc);
  }
  return loc ?? undefined;
}

export function fineIdOf(locations: Interner, loc: LocationMemo): number {
  if (loc.fineId < 0) loc.fineId = locations.id(loc.fine);
  return loc.fineId;
}

export function compareIdOf(locations: Interner, loc: LocationMemo): number {
  if (loc.compareId < 0) loc.compareId = locations.id(loc.compare);
  return loc.compareId;
}
