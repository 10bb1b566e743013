import { describe, expect, it } from 'vitest';
import { colorEnabled, paintSeverity } from './color.ts';

describe('terminal colours', () => {
  it('colour a terminal unless NO_COLOR is set, and a pipe only with FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('paints each severity in its colour and leaves text alone when off', () => {
    expect(paintSeverity('critical', 'CRITICAL', true)).toBe('\x1b[1;31mCRITICAL\x1b[0m');
    expect(paintSeverity('low', 'LOW', true)).toBe('\x1b[36mLOW\x1b[0m');
    expect(paintSeverity('high', 'HIGH', false)).toBe('HIGH');
  });
});
