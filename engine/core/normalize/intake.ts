/**
 * Intake: raw positions, opening rows, events and items stream in (the connectors' Sink shape)
 * and are normalized at once into columnar tables. Problems become findings; the row stays out.
 */
import { EVENT_TYPES, type Item, type NormalizationFinding } from '../model/types.ts';
import type { RawEvent, RawPosition } from '../model/types.ts';
import type { EventParts } from '../model/event-parts.ts';
import type { Ruleset, UnitSpec } from '../rules/types.ts';
import { InputError } from '../errors.ts';
import { Interner } from '../model/intern.ts';
import { BUCKET_COUNT } from '../model/keys.ts';
import { keyId, SkuLocIndex } from '../model/skuloc.ts';
import { buildContext, IGNORE, type Context } from './context.ts';
import type { ResolvedLocation } from './locations.ts';
import { Places } from './places.ts';
import {
  compareIdOf,
  fineIdOf,
  placeOf,
  SourceMemo,
  statusIdOf,
  statusOf,
  type LocationMemo,
  type StatusMemo,
} from './memo.ts';
import { SkuResolver, type ItemInfo } from './resolve.ts';
import { SkuLookup } from './sku-lookup.ts';
import { TableInterner } from './string-table.ts';
import { EventTable, SnapshotTable, emptyEventRow, type EventRow } from './tables.ts';
import { ByteInterner, EventIdStore } from './event-ids.ts';
import { FactorCache, toBaseUnits } from './units.ts';
import { parseTime } from './time.ts';
import type { RowFates } from './fates.ts';
import type { IncompleteRows, RejectedRow } from './incomplete.ts';
import { KeptOut } from './kept-out.ts';
import { WaitingRows } from './waiting.ts';
import { eventAccounts } from './event-accounts.ts';

const typeIndex = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));
const NO_STATUS: StatusMemo = { word: '', bucket: undefined, id: -1 };

export class Intake {
  readonly ctx: Context;
  readonly skus: Interner = new TableInterner();
  readonly locations = new Interner();
  readonly statuses = new Interner();
  /** References kept as bytes (1.5M at 1M keys): their strings are built for the results. */
  readonly refs = new ByteInterner();
  readonly reasons = new Interner();
  readonly files = new Interner();
  readonly positions = new SnapshotTable();
  readonly openings = new SnapshotTable();
  readonly events = new EventTable(new EventIdStore());
  /** Rows kept out: their findings, their fates, the keys they leave incomplete (kept-out.ts). */
  private readonly keptOut: KeptOut;
  readonly findings: NormalizationFinding[];
  readonly fates: RowFates;
  readonly incomplete: IncompleteRows;
  /** Events not added because their source already gave an event of that id (any origin). */
  duplicateEvents = 0;
  readonly skuLocs = new SkuLocIndex();
  /** Key ids (skuLoc × 4 + bucket) where a conversion did not land on a whole base unit. */
  readonly roundingKeys = new Set<number>();
  readonly skuResolver: SkuResolver;
  rejectedRows = 0;
  private readonly places: Places;
  private readonly waiting = new WaitingRows();
  private readonly memos: SourceMemo[];
  /** The last row's source and its memo (a file's rows are all of one source). */
  private lastSource = '';
  private lastMemo: SourceMemo | undefined;
  private readonly lookup: SkuLookup;
  private readonly factors = new FactorCache();
  private lastFile = '';
  private lastFileId = -1;
  /** Whose key the row being added speaks for: its source's (a position) or the ledger's. */
  private scope: 'source' | 'ledger' = 'source';
  /** The string of a source event id by its number. */
  private readonly idOf = (id: number): string => this.events.idStore.get(id);
  /** The event row being filled: one object for every row, no allocation per event. */
  private readonly row: EventRow = emptyEventRow();

  constructor(readonly ruleset: Ruleset) {
    this.ctx = buildContext(ruleset);
    this.keptOut = new KeptOut(this.ctx.sourceIndex, this.files);
    ({ findings: this.findings, fates: this.fates, incomplete: this.incomplete } = this.keptOut);
    this.skuResolver = new SkuResolver(ruleset);
    this.places = new Places(ruleset.mappings, this.locations, this.ctx.systemOfRecord);
    this.memos = this.ctx.sources.map((t) => new SourceMemo(t, this.events.idStore));
    this.lookup = new SkuLookup(this.skuResolver, this.skus, this.memos);
  }

  item(i: Item): void {
    for (const message of this.lookup.addItem(i)) {
      const f: NormalizationFinding = { code: 'UNIT_CONFLICT', source: i.source ?? '', message };
      f.sku = i.sku;
      if (i.origin) f.origin = i.origin;
      this.findings.push(f);
    }
  }

  reject(r: RejectedRow): void {
    this.rejectedRows++;
    this.incomplete.rejected(r);
  }

  opening(p: RawPosition): void {
    this.addSnapshot(this.openings, 'opening', p, true);
  }

  position(p: RawPosition): void {
    this.addSnapshot(this.positions, 'position', p, true);
  }

  event(e: RawEvent): void {
    this.eventParts(e);
  }

  /**
   * An event with its parts as a reading thread sent them (the Sink's eventParts): the same as
   * `event`, but its id and references are taken as bytes and its times as milliseconds, with
   * no string made for them.
   */
  eventParts(e: RawEvent, parts?: EventParts): void {
    const eventIds = this.memo(e.source).eventIds;
    const taken =
      parts && parts.id >= 0
        ? eventIds.addText(parts.texts, parts.id)
        : eventIds.add(e.sourceEventId);
    if (taken < 0) {
      this.duplicateEvents++;
      this.keptOut.duplicate(e);
      return;
    }
    this.addEvent(e, taken, true, parts);
  }

  /** Room for a file's rows before they arrive (the columns would otherwise grow by doubling). */
  expect(kind: 'items' | 'opening' | 'positions' | 'events', rows: number): void {
    if (kind === 'events') {
      this.events.reserve(rows);
      this.refs.reserve(rows);
    } else if (kind === 'positions') this.positions.reserve(rows);
    else if (kind === 'opening') this.openings.reserve(rows);
  }

  /** Room for a source's event ids (its set would otherwise be rehashed at each doubling). */
  expectFrom(
    kind: 'items' | 'opening' | 'positions' | 'events',
    source: string,
    rows: number,
  ): void {
    const index = this.ctx.sourceIndex.get(source);
    if (kind === 'events' && index !== undefined) this.memos[index]!.eventIds.reserve(rows);
  }

  /**
   * Room for the rows a live ledger adds after its load (an eighth of each table): the files'
   * reservations are exact, so the first event past them doubled every column of its table
   * (1M keys: ~0.5 s on that one event, and ~150 MiB kept for good).
   */
  makeRoomForLiveRows(): void {
    const room = (rows: number) => Math.max(1024, Math.ceil(rows / 8));
    this.positions.reserve(room(this.positions.length));
    this.openings.reserve(room(this.openings.length));
    this.events.reserve(room(this.events.length));
  }

  /** Settles rows that waited for the item master; call before reconciling (idempotent). */
  flush(): void {
    for (const d of this.waiting.take()) {
      if (d.kind === 'event') this.addEvent(d.raw, d.id, false);
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
    return this.places.compareOf(location);
  }

  /** A source's location code at (fine, compare) level, or undefined when unmapped. */
  locate(source: string, code: string): ResolvedLocation | undefined {
    return this.places.resolve(source, code);
  }

  get pending(): number {
    return this.waiting.size;
  }

  private memo(source: string): SourceMemo {
    if (source === this.lastSource && this.lastMemo) return this.lastMemo;
    const index = this.ctx.sourceIndex.get(source);
    if (index === undefined) {
      throw new InputError('UNKNOWN_SOURCE', `source "${source}" is not declared in the rules`);
    }
    this.lastSource = source;
    return (this.lastMemo = this.memos[index] as SourceMemo);
  }

  private finding(
    code: NormalizationFinding['code'],
    raw: RawPosition | RawEvent,
    message: string,
  ): void {
    this.keptOut.finding(code, raw, message, this.scope);
  }

  private location(memo: SourceMemo, raw: RawPosition | RawEvent): LocationMemo | undefined {
    const loc = placeOf(memo, this.places.resolve, raw.location);
    if (!loc)
      this.finding(
        'UNKNOWN_LOCATION',
        raw,
        `location "${raw.location}" is not mapped (no locationCodes entry, declared location or locationPatterns glob matches it)`,
      );
    return loc;
  }

  /** Canonical sku id; -1 when it must wait for the item master, undefined when reported. */
  private sku(
    memo: SourceMemo,
    raw: RawPosition | RawEvent,
    mayDefer: boolean,
  ): number | undefined {
    const id = this.lookup.resolve(memo, raw.source, raw.sku, mayDefer);
    if (id === undefined) {
      const hint = this.skuResolver.unknownHint(raw.sku);
      const why = `sku "${raw.sku}" is neither an item nor an alias`;
      this.finding('UNKNOWN_SKU', raw, hint ? `${why}; ${hint}` : why);
    }
    return id;
  }

  /** Item attributes of a canonical sku id (kept until an item arrives). */
  itemOf(sku: number): ItemInfo {
    return this.lookup.item(sku);
  }

  /** Unit spec of a canonical sku id (kept until an item arrives). */
  unitSpec(sku: number): UnitSpec {
    return this.lookup.spec(sku);
  }

  private quantity(raw: RawPosition | RawEvent, sku: number, magnitude: number) {
    const factor = this.factors.of(this.unitSpec(sku), raw.unit);
    if (factor === undefined) {
      const canonical = this.skus.value(sku);
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

  private fileId(raw: RawPosition | RawEvent): number {
    if (!raw.origin) return -1;
    if (raw.origin.file !== this.lastFile || this.lastFileId < 0) {
      this.lastFileId = this.files.id(raw.origin.file);
      this.lastFile = raw.origin.file;
    }
    return this.lastFileId;
  }

  private addSnapshot(
    table: SnapshotTable,
    kind: 'position' | 'opening',
    p: RawPosition,
    mayDefer: boolean,
  ): void {
    this.scope = kind === 'position' ? 'source' : 'ledger';
    const memo = this.memo(p.source);
    const status = statusOf(memo, p.status);
    const bucket = status.bucket;
    if (bucket === IGNORE) return;
    if (bucket === undefined) {
      this.finding('UNKNOWN_STATUS', p, `status "${p.status}" has no bucket for ${p.source}`);
      return;
    }
    const loc = this.location(memo, p);
    if (!loc) return;
    const sku = this.sku(memo, p, mayDefer);
    if (sku === undefined) return;
    if (sku < 0) {
      this.waiting.snapshot(kind, p);
      return;
    }
    const cmp = compareIdOf(this.locations, loc);
    const qty = this.quantity(p, sku, p.quantity);
    if (qty === undefined) {
      this.roundingKeys.add(keyId(this.skuLocs.id(sku, cmp), bucket));
      return;
    }
    const statusId = statusIdOf(this.statuses, status);
    const asOfMs = parseTime(p.asOf, p);
    table.add({
      sl: this.skuLocs.id(sku, cmp),
      src: memo.tables.index,
      sku,
      fine: fineIdOf(this.locations, loc),
      cmp,
      bucket,
      status: statusId,
      qty,
      asOfMs,
      file: this.fileId(p),
      line: p.origin?.line ?? -1,
    });
    this.incomplete.checkRepeat(table, kind, memo.tables.index, (f) => this.files.value(f));
  }

  /** The status memo of an event's from/to word; NO_STATUS when absent. */
  private eventStatus(memo: SourceMemo, e: RawEvent, word: string | undefined) {
    if (word === undefined || word === '') return NO_STATUS;
    const s = statusOf(memo, word);
    if (s.bucket === undefined) {
      this.finding('UNKNOWN_STATUS', e, `status "${word}" has no bucket for ${e.source}`);
      return undefined;
    }
    return s;
  }

  /**
   * `id`: the number of its source event id in the id store. `parts`: its references and times
   * as a reading thread sent them (where absent or -1/NaN: as in `e`).
   */
  private addEvent(e: RawEvent, id: number, mayDefer: boolean, parts?: EventParts): void {
    this.scope = 'ledger';
    const memo = this.memo(e.source);
    const type = typeIndex.get(e.type);
    if (type === undefined) throw new InputError('UNKNOWN_EVENT_TYPE', `event type "${e.type}"`);
    const from = this.eventStatus(memo, e, e.fromStatus);
    const to = this.eventStatus(memo, e, e.toStatus);
    if (!from || !to) return;
    const loc = this.location(memo, e);
    if (!loc) return;
    const sku = this.sku(memo, e, mayDefer);
    if (sku === undefined) return;
    if (sku < 0) {
      this.waiting.event(e, id, this.idOf, parts);
      return;
    }
    const cmp = compareIdOf(this.locations, loc);
    const magnitude = this.quantity(e, sku, Math.abs(e.quantity));
    if (magnitude === undefined) {
      const sl = this.skuLocs.id(sku, cmp);
      for (let b = 0; b < BUCKET_COUNT; b++) this.roundingKeys.add(keyId(sl, b));
      return;
    }
    const cp = e.counterpartLocation
      ? placeOf(memo, this.places.resolve, e.counterpartLocation)
      : undefined;
    const cpCompare = cp ? compareIdOf(this.locations, cp) : -1;
    const [fromAcc, toAcc, qty] = eventAccounts(this.locations, e, loc, cp, from, to, magnitude);
    const sentMs = parts ? parts.occurredMs : NaN;
    const occurred = sentMs === sentMs ? sentMs : parseTime(e.occurredAt, e);
    const r = this.row;
    r.src = memo.tables.index;
    r.type = type;
    r.sku = sku;
    r.from = fromAcc;
    r.to = toAcc;
    r.cmp = cmp;
    r.sl = this.skuLocs.id(sku, cmp);
    r.counterpart = cpCompare;
    r.qty = qty;
    r.occurred = occurred;
    const recordedMs = parts ? parts.recordedMs : NaN;
    r.recorded =
      recordedMs === recordedMs ? recordedMs : e.recordedAt ? parseTime(e.recordedAt, e) : occurred;
    r.ref = this.refs.idOrNone(e.reference, parts?.texts, parts ? parts.ref : -1);
    r.xref = this.refs.idOrNone(e.counterpartReference, parts?.texts, parts ? parts.xref : -1);
    r.rawFrom = from === NO_STATUS ? -1 : statusIdOf(this.statuses, from);
    r.rawTo = to === NO_STATUS ? -1 : statusIdOf(this.statuses, to);
    r.reason = e.reasonCode ? this.reasons.id(e.reasonCode) : -1;
    r.booked = this.places.recordAt(cmp) === memo.tables.index ? 1 : 0;
    r.file = this.fileId(e);
    r.line = e.origin?.line ?? -1;
    r.idRef = id;
    this.events.add(r);
  }
}

export function createIntake(ruleset: Ruleset): Intake {
  return new Intake(ruleset);
}
