import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../engine/core/collect.ts';

describe('collectGarbage', () => {
  it('frees a table nothing holds any more, even one handed over in this job', async () => {
    let table: Float64Array | null = new Float64Array(1 << 20);
    const ref = new WeakRef(table);
    table = null;
    await collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('leaves alone what is still held', async () => {
    const table = new Float64Array(16).fill(7);
    const ref = new WeakRef(table);
    await collectGarbage();
    expect(ref.deref()?.[15]).toBe(7);
    expect(table[0]).toBe(7);
  });
});
