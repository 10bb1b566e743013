import { describe, expect, it } from 'vitest';
import { maxInWindow } from './delivery.ts';

describe('maxInWindow', () => {
  it('counts the most arrivals inside any 1 s window, wherever it starts', () => {
    expect(maxInWindow([])).toBe(0);
    expect(maxInWindow([0, 1100, 2200, 3300])).toBe(1);
    // two arrivals 999 ms apart share a window even across a second boundary
    expect(maxInWindow([500, 1499, 2600])).toBe(2);
    expect(maxInWindow([3000, 0, 1000, 2000])).toBe(1);
    expect(maxInWindow([0, 10, 20, 2000])).toBe(3);
  });
});
