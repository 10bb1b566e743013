/**
 * Columnar storage of normalized positions and events: one typed array per field instead of
 * millions of objects, so 3M positions and 2M events fit the memory budget.
 */
import { ByteColumn, IntColumn, NumColumn } from '../model/intern.ts';
import type { EventIdStore } from './event-ids.ts';

type Column = IntColumn | NumColumn | ByteColumn;

/**
 * Rows every one of `columns` has room for, after making room for `rows` more. A table's
 * columns grow together, so its add checks one number per row instead of each column its own
 * (and writes each value straight into its array).
 */
function roomFor(columns: readonly Column[], rows: number): number {
  let room = Number.MAX_SAFE_INTEGER;
  for (const column of columns) {
    column.reserve(rows);
    room = Math.min(room, column.data.length);
  }
  return room;
}

/** Positions (or opening rows). A later row of the same identity supersedes an earlier one. */
export class SnapshotTable {
  readonly src = new IntColumn();
  readonly sku = new IntColumn();
  readonly fine = new IntColumn();
  readonly cmp = new IntColumn();
  readonly bucket = new ByteColumn();
  readonly status = new IntColumn();
  readonly qty = new NumColumn();
  readonly asOf = new NumColumn();
  /** Dense (sku, compare location) id. */
  readonly sl = new IntColumn();
  /** Previous row of the same (source, sku, fine location, raw status), or -1. */
  readonly prev = new IntColumn();
  /** 1 once a later row of the same identity arrived. */
  readonly superseded = new ByteColumn();
  /**
   * Per source, per sl: the last row added; per row: the previous row of the same source and sl.
   * The walk for a row's identity passes only its own source's rows, which its file has just
   * added (chained per sl alone, a shop row at 1M keys walked past the other sources' rows of
   * its sku, read from far back in the columns).
   */
  private readonly lastBySrcSl: IntColumn[] = [];
  private readonly prevSame = new IntColumn();
  readonly file = new IntColumn();
  readonly line = new IntColumn();

  private released = false;
  /** The row-wise columns, which add fills together; rows they all have room for. */
  private readonly rowColumns: readonly Column[] = [
    this.src,
    this.sku,
    this.fine,
    this.cmp,
    this.bucket,
    this.status,
    this.qty,
    this.asOf,
    this.sl,
    this.prev,
    this.superseded,
    this.prevSame,
    this.file,
    this.line,
  ];
  private room = 0;

  get length(): number {
    if (this.released)
      throw new Error('snapshot rows read after reconcile let them go (keepSnapshots: false)');
    return this.src.length;
  }

  /**
   * Lets go of every row: a full run's key space holds what they said once it is built, and
   * classifying need not carry them (1M keys: 3M positions, ~165 MiB). Reading `length` after
   * is a defect and throws, so no reader takes the table for an empty one.
   */
  release(): void {
    for (const column of [this.src, this.sku, this.fine, this.cmp, this.status, this.sl])
      column.release();
    for (const column of [this.prev, this.prevSame, this.file, this.line]) column.release();
    for (const column of this.lastBySrcSl) column?.release();
    for (const column of [this.bucket, this.superseded]) column.release();
    for (const column of [this.qty, this.asOf]) column.release();
    this.released = true;
    this.room = 0;
  }

  /** Makes room for `rows` more rows at once (a file's line count, known before it is read). */
  reserve(rows: number): void {
    this.room = roomFor(this.rowColumns, rows);
  }

  add(row: {
    sl: number;
    src: number;
    sku: number;
    fine: number;
    cmp: number;
    bucket: number;
    status: number;
    qty: number;
    asOfMs: number;
    file: number;
    line: number;
  }): void {
    const index = this.src.length;
    if (index >= this.room) this.room = roomFor(this.rowColumns, 1);
    const last = this.lastBySrcSl[row.src] ?? (this.lastBySrcSl[row.src] = new IntColumn());
    while (last.length <= row.sl) last.push(-1);
    const head = last.get(row.sl);
    const same = this.findSame(head, row.fine, row.status);
    const next = index + 1;
    this.src.data[index] = row.src;
    this.src.length = next;
    this.sl.data[index] = row.sl;
    this.sl.length = next;
    this.sku.data[index] = row.sku;
    this.sku.length = next;
    this.fine.data[index] = row.fine;
    this.fine.length = next;
    this.cmp.data[index] = row.cmp;
    this.cmp.length = next;
    this.bucket.data[index] = row.bucket;
    this.bucket.length = next;
    this.status.data[index] = row.status;
    this.status.length = next;
    this.qty.data[index] = row.qty;
    this.qty.length = next;
    this.asOf.data[index] = row.asOfMs;
    this.asOf.length = next;
    this.file.data[index] = row.file;
    this.file.length = next;
    this.line.data[index] = row.line;
    this.line.length = next;
    this.prev.data[index] = same;
    this.prev.length = next;
    this.superseded.data[index] = 0;
    this.superseded.length = next;
    if (same >= 0) this.superseded.data[same] = 1;
    this.prevSame.data[index] = head;
    this.prevSame.length = next;
    last.set(row.sl, index);
  }

  /**
   * Latest earlier row of the same identity: a walk from `head` over the few rows of one
   * source's sku × place.
   */
  private findSame(head: number, fine: number, status: number): number {
    for (let r = head; r >= 0; r = this.prevSame.get(r)) {
      if (this.fine.get(r) === fine && this.status.get(r) === status) return r;
    }
    return -1;
  }

  /** Calls `visit` with the latest row at or before `asOfMs` of every identity. */
  forEachLatest(asOfMs: number, visit: (row: number) => void): void {
    const asOf = this.asOf.data;
    const prev = this.prev.data;
    const superseded = this.superseded.data;
    for (let head = 0; head < this.length; head++) {
      if (superseded[head] === 1) continue;
      let best = -1;
      for (let row = head; row >= 0; row = prev[row] as number) {
        const t = asOf[row] as number;
        if (t <= asOfMs && (best < 0 || t > (asOf[best] as number))) best = row;
      }
      if (best >= 0) visit(best);
    }
  }
}

/** One event row as the intake fills it (one object reused for every row). */
export type EventRow = {
  src: number;
  type: number;
  sku: number;
  from: number;
  to: number;
  cmp: number;
  sl: number;
  counterpart: number;
  qty: number;
  occurred: number;
  recorded: number;
  ref: number;
  xref: number;
  rawFrom: number;
  rawTo: number;
  reason: number;
  booked: number;
  file: number;
  line: number;
  idRef: number;
};

/** A row to fill (a literal: one hidden class for every row the intake writes). */
export function emptyEventRow(): EventRow {
  return {
    src: -1,
    type: -1,
    sku: -1,
    from: -1,
    to: -1,
    cmp: -1,
    sl: -1,
    counterpart: -1,
    qty: -1,
    occurred: -1,
    recorded: -1,
    ref: -1,
    xref: -1,
    rawFrom: -1,
    rawTo: -1,
    reason: -1,
    booked: -1,
    file: -1,
    line: -1,
    idRef: -1,
  };
}

/** Event types as small integers, in EVENT_TYPES order. */
export class EventTable {
  readonly src = new IntColumn();
  readonly type = new ByteColumn();
  readonly sku = new IntColumn();
  /** Account codes: stock = fineLocation × 4 + bucket (≥ 0); outside = −(1 + index). */
  readonly from = new IntColumn();
  readonly to = new IntColumn();
  /** Compare-level location of the event (where it is booked and matched). */
  readonly cmp = new IntColumn();
  /** Dense (sku, compare location) id. */
  readonly sl = new IntColumn();
  /** Compare-level counterpart location for transfers, or -1. */
  readonly counterpart = new IntColumn();
  readonly qty = new NumColumn();
  readonly occurred = new NumColumn();
  readonly recorded = new NumColumn();
  /** Interned reference, raw from/to status, reason code; -1 when absent. */
  readonly ref = new IntColumn();
  /** Interned counterpart reference (the other system's id for the movement); -1 when absent. */
  readonly xref = new IntColumn();
  readonly rawFrom = new IntColumn();
  readonly rawTo = new IntColumn();
  readonly reason = new IntColumn();
  /** 1 when booked into the ledger (the source is the location's system of record). */
  readonly booked = new ByteColumn();
  readonly file = new IntColumn();
  readonly line = new IntColumn();
  /** The row's source event id, by its number in `idStore`. */
  readonly idRef = new IntColumn();

  /** Every column, which add fills together; rows they all have room for. */
  private readonly columns: readonly Column[] = [
    this.src,
    this.type,
    this.sku,
    this.from,
    this.to,
    this.cmp,
    this.sl,
    this.counterpart,
    this.qty,
    this.occurred,
    this.recorded,
    this.ref,
    this.xref,
    this.rawFrom,
    this.rawTo,
    this.reason,
    this.booked,
    this.file,
    this.line,
    this.idRef,
  ];
  private room = 0;

  constructor(readonly idStore: EventIdStore) {}

  get length(): number {
    return this.src.length;
  }

  /** Makes room for `rows` more rows at once (a file's line count, known before it is read). */
  reserve(rows: number): void {
    this.room = roomFor(this.columns, rows);
  }

  add(r: EventRow): void {
    const i = this.src.length;
    if (i >= this.room) this.room = roomFor(this.columns, 1);
    const next = i + 1;
    this.src.data[i] = r.src;
    this.src.length = next;
    this.type.data[i] = r.type;
    this.type.length = next;
    this.sku.data[i] = r.sku;
    this.sku.length = next;
    this.from.data[i] = r.from;
    this.from.length = next;
    this.to.data[i] = r.to;
    this.to.length = next;
    this.cmp.data[i] = r.cmp;
    this.cmp.length = next;
    this.sl.data[i] = r.sl;
    this.sl.length = next;
    this.counterpart.data[i] = r.counterpart;
    this.counterpart.length = next;
    this.qty.data[i] = r.qty;
    this.qty.length = next;
    this.occurred.data[i] = r.occurred;
    this.occurred.length = next;
    this.recorded.data[i] = r.recorded;
    this.recorded.length = next;
    this.ref.data[i] = r.ref;
    this.ref.length = next;
    this.xref.data[i] = r.xref;
    this.xref.length = next;
    this.rawFrom.data[i] = r.rawFrom;
    this.rawFrom.length = next;
    this.rawTo.data[i] = r.rawTo;
    this.rawTo.length = next;
    this.reason.data[i] = r.reason;
    this.reason.length = next;
    this.booked.data[i] = r.booked;
    this.booked.length = next;
    this.file.data[i] = r.file;
    this.file.length = next;
    this.line.data[i] = r.line;
    this.line.length = next;
    this.idRef.data[i] = r.idRef;
    this.idRef.length = next;
  }

  /** The source event id of a row. */
  id(row: number): string {
    return this.idStore.get(this.idRef.get(row));
  }

  /** Orders two rows by their source event ids, as the strings compare. */
  compareIds(a: number, b: number): number {
    return this.idStore.compare(this.idRef.get(a), this.idRef.get(b));
  }
}
