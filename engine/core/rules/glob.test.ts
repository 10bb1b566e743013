import { describe, expect, it } from 'vitest';
import { anyGlob, compileGlob, globsOverlap, overlapExample } from './glob.ts';

describe('location globs', () => {
  it('match the whole code: * any run, ? one character, the rest literally', () => {
    const g = compileGlob('WH1-A-*');
    expect(['WH1-A-', 'WH1-A-01', 'WH1-A-01-3'].map((c) => g.test(c))).toEqual([true, true, true]);
    expect(['WH1-B-01', 'xWH1-A-01', 'WH1.A-01'].map((c) => g.test(c))).toEqual([
      false,
      false,
      false,
    ]);
    const q = compileGlob('E-??.(1)');
    expect([q.test('E-12.(1)'), q.test('E-1.(1)'), q.test('E-12x(1)')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('run in linear time on a code built to stall a backtracking matcher', () => {
    const g = compileGlob('*a*a*a*a*a*a*a*a*a*a*b');
    const started = performance.now();
    expect(g.test('a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('tell exactly whether two globs can match one code', () => {
    const cases: [string, string, boolean][] = [
      ['WH1-A-*', 'WH1-*', true],
      ['WH1-A-*', 'WH1-B-*', false],
      ['E-*', '*-01', true],
      ['E-?', 'E-??', false],
      ['E-?1', 'E-2?', true],
      ['*', 'anything', true],
      ['A*B', 'A*C', false],
      ['A*B*', '*C*A', true],
      ['BIN-1', 'BIN-1', true],
      ['BIN-1', 'BIN-2', false],
    ];
    for (const [a, b, overlap] of cases) {
      expect(globsOverlap(a, b), `${a} ∩ ${b}`).toBe(overlap);
      expect(globsOverlap(b, a), `${b} ∩ ${a}`).toBe(overlap);
    }
  });

  it('names a code both match', () => {
    expect(overlapExample('WH1-A-*', 'WH1-*')).toBe('WH1-A-');
    expect(overlapExample('WH1-A-*', 'WH1-B-*')).toBeUndefined();
  });
});

describe('anyGlob', () => {
  it('matches a text as the globs compiled one by one would, whatever their form', () => {
    const globs = ['SO-W*', '#1???', 'EXACT-1', 'A*B', '*-RET', '*'];
    const texts = [
      'SO-W',
      'SO-W-9',
      'SO-B-9',
      '#1001',
      '#10010',
      'EXACT-1',
      'EXACT-12',
      'AB',
      'AxxB',
      'AxxBx',
      'X-RET',
      '-RET',
      '',
      'so-w-1',
      'SO-W*',
    ];
    for (let n = 0; n <= globs.length; n++) {
      const some = globs.slice(0, n);
      const matches = anyGlob(some);
      for (const text of texts)
        expect([some, text, matches(text)]).toEqual([
          some,
          text,
          some.some((g) => compileGlob(g).test(text)),
        ]);
    }
  });
});
