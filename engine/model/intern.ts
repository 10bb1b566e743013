/**
 * String interning: millions of rows repeat a few thousand skus and locations, so rows keep
 * small integers and the strings live once here (PERF-NOTES: integer keys join ~4× faster).
 */
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

/** A growable column of numbers backed by a Float64Array (no per-row objects). */
export class NumColumn {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }
}

/** Same as NumColumn for small integers (ids, codes). */
export class IntColumn {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }
}
