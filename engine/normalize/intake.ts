/**
 * Intake: raw positions, opening rows, events and items stream in (the connectors' Sink shape)
 * and are normalized at once into columnar tables. Problems become findings; the row stays out.
 */
import {
  EVENT_TYPES,
  type EventType,
  type Item,
  type NormalizationFinding,
} from '../model/types.ts';
import type { RawEvent, RawPosition } from '../model/types.ts';
import type { Ruleset } from '../rules/types.ts';
import { InputError } from '../errors.ts';
import { Interner } from '../model/intern.ts';
import { BUCKET_COUNT } from '../model/keys.ts';
import { keyId, SkuLocIndex } from '../model/skuloc.ts';
import { accountsFor } from '../ledger/accounts.ts';
import { buildContext, IGNORE, statusBucket, type Context, type SourceTables } from './context.ts';
import { createLocationResolver, rollUp, type ResolvedLocation } from './locations.ts';
import { SkuResolver } from './resolve.ts';
import { EventTable, SnapshotTable } from './tables.ts';
import { factorOf, toBaseUnits } from './units.ts';
import { parseIsoMs } from './time.ts';

type Rejected = { file: string; line: number; reason: string; raw: string };
type Deferred =
  { kind: 'position' | 'opening'; raw: RawPosition } | { kind: 'event'; raw: RawEvent };

const typeIndex = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

export class Intake {
  readonly ctx: Context;
  readonly skus = new Interner();
  readonly locations = new Interner();
  readonly statuses = new Interner();
  readonly refs = new Interner();
  readonly reasons = new Interner();
  readonly files = new Interner();
  readonly positions = new SnapshotTable();
  readonly openings = new SnapshotTable();
  readonly events = new EventTable();
  readonly findings: NormalizationFinding[] = [];
  readonly skuLocs = new SkuLocIndex();
  /** Key ids (skuLoc × 4 + bucket) where a conversion did not land on a whole base unit. */
  readonly roundingKeys = new Set<number>();
  readonly skuResolver: SkuResolver;
  rejectedRows = 0;
  /** Per source: event ids already taken (idempotency on source × source event id). */
  private readonly seen = new Map<string, Set<string>>();
  private readonly resolveLocation: (source: string, code: string) => ResolvedLocation | undefined;
  private deferred: Deferred[] = [];
  private readonly compareCache = new Map<number, number>();

  constructor(readonly ruleset: Ruleset) {
    this.ctx = buildContext(ruleset);
    this.skuResolver = new SkuResolver(ruleset);
    this.resolveLocation = createLocationResolver(ruleset.mappings);
  }

  item(i: Item): void {
    this.skuResolver.addItem(i);
  }

  reject(_r: Rejected): void {
    this.rejectedRows++;
  }

  opening(p: RawPosition): void {
    this.addSnapshot(this.openings, 'opening', p, true);
  }

  position(p: RawPosition): void {
    this.addSnapshot(this.positions, 'position', p, true);
  }

  event(e: RawEvent): void {
    let ids = this.seen.get(e.source);
    if (!ids) this.seen.set(e.source, (ids = new Set()));
    if (ids.has(e.sourceEventId)) return;
    ids.add(e.sourceEventId);
    this.addEvent(e, true);
  }

  /** Settles rows that waited for the item master; call before reconciling (idempotent). */
  flush(): void {
    const waiting = this.deferred;
    this.deferred = [];
    for (const d of waiting) {
      if (d.kind === 'event') this.addEvent(d.raw, false);
      else
        this.addSnapshot(
          d.kind === 'opening' ? this.openings : this.positions,
          d.kind,
          d.raw,
          false,
        );
    }
  }

  /** Compare-level location id of any canonical location id (itself when already there). */
  compareOf(location: number): number {
    let cmp = this.compareCache.get(location);
    if (cmp === undefined) {
      const id = rollUp(this.ruleset.mappings, this.locations.value(location));
      cmp = id === undefined ? location : this.locations.id(id);
      this.compareCache.set(location, cmp);
    }
    return cmp;
  }

  /** A source's location code at (fine, compare) level, or undefined when unmapped. */
  locate(source: string, code: string): ResolvedLocation | undefined {
    return this.resolveLocation(source, code);
  }

  get pending(): number {
    return this.deferred.length;
  }

  private tables(source: string): SourceTables {
    const index = this.ctx.sourceIndex.get(source);
    if (index === undefined) {
      throw new InputError('UNKNOWN_SOURCE', `source "${source}" is not declared in the rules`);
    }
    return this.ctx.sources[index] as SourceTables;
  }

  private finding(
    code: NormalizationFinding['code'],
    raw: RawPosition | RawEvent,
    message: string,
  ): void {
    const f: NormalizationFinding = { code, source: raw.source, message, sku: raw.sku };
    f.location = raw.location;
    if (raw.origin) f.origin = raw.origin;
    this.findings.push(f);
  }

  /** Canonical sku id; undefined when deferred or reported. */
  private sku(raw: RawPosition | RawEvent, mayDefer: boolean, d: Deferred): number | undefined {
    const sku = this.skuResolver.resolve(raw.source, raw.sku);
    if (sku !== undefined) return this.skus.id(sku);
    if (mayDefer) {
      this.deferred.push(d);
      return undefined;
    }
    if (this.skuResolver.open) return this.skus.id(raw.sku);
    this.finding('UNKNOWN_SKU', raw, `sku "${raw.sku}" is neither an item nor an alias`);
    return undefined;
  }

  private quantity(raw: RawPosition | RawEvent, sku: number, magnitude: number) {
    const canonical = this.skus.value(sku);
    const factor = factorOf(this.skuResolver.unitSpec(canonical), raw.unit);
    if (factor === undefined) {
      this.finding('UNKNOWN_UNIT', raw, `unit "${raw.unit}" is not defined for ${canonical}`);
      return undefined;
    }
    const q = toBaseUnits(magnitude, factor);
    if (q === undefined) {
      const msg = `${magnitude} ${raw.unit} × ${factor} is not a whole base unit`;
      this.finding('UOM_ROUNDING', raw, msg);
    }
    return q;
  }

  private location(raw: RawPosition | RawEvent): ResolvedLocation | undefined {
    const loc = this.resolveLocation(raw.source, raw.location);
    if (!loc) this.finding('UNKNOWN_LOCATION', raw, `location "${raw.location}" is not mapped`);
    return loc;
  }

  private addSnapshot(
    table: SnapshotTable,
    kind: 'position' | 'opening',
    p: RawPosition,
    mayDefer: boolean,
  ): void {
    const tables = this.tables(p.source);
    const bucket = statusBucket(tables, p.status);
    if (bucket === IGNORE) return;
    if (bucket === undefined) {
      this.finding('UNKNOWN_STATUS', p, `status "${p.status}" has no bucket for ${p.source}`);
      return;
    }
    const loc = this.location(p);
    if (!loc) return;
    const sku = this.sku(p, mayDefer, { kind, raw: p });
    if (sku === undefined) return;
    const cmp = this.locations.id(loc.compare);
    const qty = this.quantity(p, sku, p.quantity);
    if (qty === undefined) {
      this.roundingKeys.add(keyId(this.skuLocs.id(sku, cmp), bucket));
      return;
    }
    const status = this.statuses.id(p.status);
    table.add({
      sl: this.skuLocs.id(sku, cmp),
      src: tables.index,
      sku,
      fine: this.locations.id(loc.fine),
      cmp,
      bucket,
      status,
      qty,
      asOfMs: parseTime(p.asOf, p),
      file: p.origin ? this.files.id(p.origin.file) : -1,
      line: p.origin?.line ?? -1,
    });
  }

  private eventBucket(tables: SourceTables, e: RawEvent, word: string | undefined) {
    if (word === undefined || word === '') return { ok: true, bucket: undefined };
    const b = statusBucket(tables, word);
    if (b === undefined) {
      this.finding('UNKNOWN_STATUS', e, `status "${word}" has no bucket for ${e.source}`);
      return { ok: false, bucket: undefined };
    }
    return { ok: true, bucket: b === IGNORE ? undefined : b };
  }

  private addEvent(e: RawEvent, mayDefer: boolean): void {
    const tables = this.tables(e.source);
    const type = typeIndex.get(e.type);
    if (type === undefined) throw new InputError('UNKNOWN_EVENT_TYPE', `event type "${e.type}"`);
    const from = this.eventBucket(tables, e, e.fromStatus);
    const to = this.eventBucket(tables, e, e.toStatus);
    if (!from.ok || !to.ok) return;
    const loc = this.location(e);
    if (!loc) return;
    const sku = this.sku(e, mayDefer, { kind: 'event', raw: e });
    if (sku === undefined) return;
    const cmp = this.locations.id(loc.compare);
    const magnitude = this.quantity(e, sku, Math.abs(e.quantity));
    if (magnitude === undefined) {
      const sl = this.skuLocs.id(sku, cmp);
      for (let b = 0; b < BUCKET_COUNT; b++) this.roundingKeys.add(keyId(sl, b));
      return;
    }
    const cp = e.counterpartLocation
      ? this.resolveLocation(e.source, e.counterpartLocation)
      : undefined;
    const cpCompare = cp ? this.locations.id(cp.compare) : -1;
    const isTransferOut = e.type === 'transfer_out';
    const cpAccount = cp ? this.locations.id(isTransferOut ? cp.compare : cp.fine) : -1;
    const [fromAcc, toAcc, qty] = accountsFor({
      type: e.type as EventType,
      location: this.locations.id(loc.fine),
      counterpart: cpAccount,
      fromBucket: from.bucket,
      toBucket: to.bucket,
      quantity: e.quantity < 0 ? -magnitude : magnitude,
    });
    this.pushEvent(e, tables.index, type, sku, cmp, cpCompare, fromAcc, toAcc, qty);
  }

  private pushEvent(
    e: RawEvent,
    src: number,
    type: number,
    sku: number,
    cmp: number,
    counterpart: number,
    from: number,
    to: number,
    qty: number,
  ): void {
    const t = this.events;
    const occurred = parseTime(e.occurredAt, e);
    t.src.push(src);
    t.type.push(type);
    t.sku.push(sku);
    t.from.push(from);
    t.to.push(to);
    t.cmp.push(cmp);
    t.sl.push(this.skuLocs.id(sku, cmp));
    t.counterpart.push(counterpart);
    t.qty.push(qty);
    t.occurred.push(occurred);
    t.recorded.push(e.recordedAt ? parseTime(e.recordedAt, e) : occurred);
    t.ref.push(e.reference ? this.refs.id(e.reference) : -1);
    t.rawFrom.push(e.fromStatus ? this.statuses.id(e.fromStatus) : -1);
    t.rawTo.push(e.toStatus ? this.statuses.id(e.toStatus) : -1);
    t.reason.push(e.reasonCode ? this.reasons.id(e.reasonCode) : -1);
    t.booked.push(this.ctx.systemOfRecord.get(this.locations.value(cmp)) === src ? 1 : 0);
    t.file.push(e.origin ? this.files.id(e.origin.file) : -1);
    t.line.push(e.origin?.line ?? -1);
    t.ids.push(e.sourceEventId);
  }
}

function parseTime(iso: string, raw: RawPosition | RawEvent): number {
  const ms = parseIsoMs(iso);
  if (Number.isNaN(ms)) {
    const where = raw.origin ? { file: raw.origin.file, line: raw.origin.line } : undefined;
    throw new InputError('BAD_TIME', `"${iso}" is not an ISO-8601 time`, where);
  }
  return ms;
}

export function createIntake(ruleset: Ruleset): Intake {
  return new Intake(ruleset);
}
