import { describe, expect, it } from 'vitest';
import { datePatternOf } from './index.ts';

describe('the date pattern tally init reads off a time column', () => {
  it.each([
    [['21.11.2026 18:00', '3.12.2026 9:05'], 'dd.MM.yyyy HH:mm'],
    [['21.11.2026 18:00:30'], 'dd.MM.yyyy HH:mm:ss'],
    [['21.11.2026'], 'dd.MM.yyyy'],
    [['21/11/2026 18:00', '05/11/2026 07:00'], 'dd/MM/yyyy HH:mm'],
    [['11/21/2026 18:00', '1/5/2026 7:00'], 'MM/dd/yyyy HH:mm'],
    [['2026/11/21 18:00'], 'yyyy/MM/dd HH:mm'],
  ])('%j: %s', (values, pattern) => {
    expect(datePatternOf(values).pattern).toBe(pattern);
  });

  it('asks rather than guesses when day and month could be either', () => {
    const found = datePatternOf(['05/11/2026 18:00', '06/11/2026 18:00']);
    expect(found.pattern).toBeUndefined();
    expect(found.orders).toEqual(['dd/MM/yyyy', 'MM/dd/yyyy']);
  });

  it('proposes nothing for what no pattern reads', () => {
    expect(datePatternOf(['yesterday', '21.11.2026 18:00'])).toEqual({ orders: [] });
    expect(datePatternOf(['31.02.2026 18:00'])).toEqual({ orders: [] });
  });
});
