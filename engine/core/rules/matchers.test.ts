import { describe, expect, it } from 'vitest';
import { matches, parseMatcher } from './matchers.ts';
import type { Matcher } from './types.ts';

const matcher = (text: string): Matcher => {
  const m = parseMatcher(text);
  if ('error' in m) throw new Error(m.error);
  return m;
};

describe('route matcher regexes', () => {
  it('match anchored at both ends', () => {
    const m = matcher('cause=~"MISSING_.*"');
    expect(matches(m, { cause: 'MISSING_POSTING' })).toBe(true);
    expect(matches(m, { cause: 'X_MISSING_POSTING' })).toBe(false);
    expect(matches(matcher('location!~"WH-[0-9]+"'), { location: 'WH-12' })).toBe(false);
  });

  it('take linear time on a pattern that backtracks exponentially elsewhere', () => {
    const m = matcher('cause=~"([A-Z_]+)+x"');
    const started = performance.now();
    for (let n = 20; n <= 4000; n *= 2) expect(matches(m, { cause: 'A'.repeat(n) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuse backreferences and lookaround with the reason', () => {
    for (const text of ['location=~"(a)\\\\1"', 'cause=~"(?=MISSING).*"']) {
      const m = parseMatcher(text);
      expect(m).toMatchObject({ error: expect.stringContaining('RE2 syntax') });
    }
  });
});
