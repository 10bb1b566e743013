import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.ts';

describe('csvCell', () => {
  it('quotes what would break the row', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(-12)).toBe('-12');
  });

  it('defuses formulas in text meant for a spreadsheet, never numbers', () => {
    const g = { guardFormulas: true };
    expect(csvCell('=HYPERLINK("http://x","y")', g)).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1+1', g)).toBe("'+1+1");
    expect(csvCell('@SUM(A1)', g)).toBe("'@SUM(A1)");
    expect(csvCell('-12.50', g)).toBe('-12.50');
    expect(csvCell('SKU-1', g)).toBe('SKU-1');
    expect(csvCell('=1', {})).toBe('=1');
  });
});
