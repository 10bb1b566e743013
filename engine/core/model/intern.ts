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

type NumberArray = Float64Array | Int32Array;

/** A growable column of numbers backed by a typed array (no per-row objects). */
abstract class TypedColumn<A extends NumberArray> {
  data: A;
  length = 0;

  constructor(capacity: number) {
    this.data = this.allocate(capacity);
  }

  protected abstract allocate(capacity: number): A;

  push(v: number): number {
    if (this.length === this.data.length) {
      const next = this.allocate(this.data.length * 2);
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

export class NumColumn extends TypedColumn<Float64Array> {
  constructor(capacity = 1024) {
    super(capacity);
  }

  protected allocate(capacity: number): Float64Array {
    return new Float64Array(capacity);
  }
}

/** Same as NumColumn for small integers (ids, codes). */
export class IntColumn extends TypedColumn<Int32Array> {
  constructor(capacity = 1024) {
    super(capacity);
  }

  protected allocate(capacity: number): Int32Array {
    return new Int32Array(capacity);
  }
}
