/**
 * String interning: millions of rows repeat a few thousand skus and locations, so rows keep
 * small integers and the strings live once here (PERF-NOTES: integer keys join ~4× faster).
 */
/** What reads and writes interned texts: an Interner, or one that keeps its texts as bytes. */
export type Words = {
  id(value: string): number;
  find(value: string): number | undefined;
  value(id: number): string;
  readonly size: number;
};

export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    const found = this.ids.get(value);
    if (found !== undefined) return found;
    const id = this.values.length;
    this.ids.set(value, id);
    this.values.push(value);
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  value(id: number): string {
    const v = this.values[id];
    if (v === undefined) throw new Error(`interned id ${id} out of range`);
    return v;
  }

  get size(): number {
    return this.values.length;
  }
}

/**
 * Growable columns of numbers backed by typed arrays (no per-row objects). One class per
 * element type, each with its own push (a push shared through a base class saw both array
 * kinds). Growing is what costs: each doubling allocates and zeroes a fresh array, so a table
 * told a file's line count (`reserve`) makes its room once and holds no unused half.
 */
const grownSize = (capacity: number, atLeast: number) => Math.max(atLeast, capacity * 2, 16);

/**
 * Room for a reservation: exactly what it asks when it is large against the column (a file's
 * or a phase's rows), else grown as a push would grow it: a live event reserving one row must
 * not copy a 3M-row column to make room for exactly one more, again at every event.
 */
const reservedSize = (capacity: number, atLeast: number, rows: number) =>
  rows >= capacity >>> 3 ? atLeast : grownSize(capacity, atLeast);

/** 32-bit integers: ids, codes, rows. */
export class IntColumn {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  /** Lets go of every value (the column is empty after). */
  release(): void {
    this.data = new Int32Array(0);
    this.length = 0;
  }

  push(v: number): number {
    const i = this.length;
    if (i === this.data.length) this.grow(i + 1);
    this.data[i] = v;
    this.length = i + 1;
    return i;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** Makes room for `rows` more rows at once. */
  reserve(rows: number): void {
    if (this.length + rows > this.data.length)
      this.resize(reservedSize(this.data.length, this.length + rows, rows));
  }

  private grow(atLeast: number): void {
    this.resize(grownSize(this.data.length, atLeast));
  }

  private resize(capacity: number): void {
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** Float64 values: quantities, instants in ms. */
export class NumColumn {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  /** Lets go of every value (the column is empty after). */
  release(): void {
    this.data = new Float64Array(0);
    this.length = 0;
  }

  push(v: number): number {
    const i = this.length;
    if (i === this.data.length) this.grow(i + 1);
    this.data[i] = v;
    this.length = i + 1;
    return i;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** Makes room for `rows` more rows at once. */
  reserve(rows: number): void {
    if (this.length + rows > this.data.length)
      this.resize(reservedSize(this.data.length, this.length + rows, rows));
  }

  private grow(atLeast: number): void {
    this.resize(grownSize(this.data.length, atLeast));
  }

  private resize(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** Small codes and flags (a bucket, an event type, 0/1): one byte a row. */
export class ByteColumn {
  data: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }

  /** Lets go of every value (the column is empty after). */
  release(): void {
    this.data = new Uint8Array(0);
    this.length = 0;
  }

  push(v: number): number {
    const i = this.length;
    if (i === this.data.length) this.grow(i + 1);
    this.data[i] = v;
    this.length = i + 1;
    return i;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** Makes room for `rows` more rows at once. */
  reserve(rows: number): void {
    if (this.length + rows > this.data.length)
      this.resize(reservedSize(this.data.length, this.length + rows, rows));
  }

  private grow(atLeast: number): void {
    this.resize(grownSize(this.data.length, atLeast));
  }

  private resize(capacity: number): void {
    const next = new Uint8Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
