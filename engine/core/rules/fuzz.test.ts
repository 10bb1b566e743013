/**
 * Random and mutated rule files must only ever produce clean, located problems: never a throw,
 * never a problem without a file, position, message and code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { assembleRuleset } from './load.ts';
import type { LoadResult } from './load.ts';
import { RULE_KINDS } from './kinds.ts';
import { parseRuleText } from './yaml-file.ts';

const DIR = new URL('../../../rules/', import.meta.url).pathname;
const BUNDLED = readdirSync(DIR)
  .filter((n) => n.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, text: readFileSync(DIR + name, 'utf8') }));
const WORDS = [...new Set(BUNDLED.flatMap((f) => f.text.match(/[A-Za-z_][\w-]*/g) ?? []))];
const TOKENS = [
  ':',
  '- ',
  '&a ',
  '*a',
  '!!str ',
  '!x ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '\t',
  '---\n',
  '~',
  'null',
  '-1',
  '1e309',
  '.inf',
  '0x1F',
  '#',
  '|\n',
  '>-\n',
  '? ',
  '<<: ',
  '%YAML 1.1\n',
  '\u0000',
  '\uFEFF',
];

// the untouched files are parsed once; validation only reads them
const PARSED = new Map(BUNDLED.map((f) => [f, parseRuleText(f.text, `rules/${f.name}`)]));

function validate(texts: { name: string; text: string }[]): LoadResult {
  const files = texts.map((f) => ({
    name: f.name,
    rf: PARSED.get(f) ?? parseRuleText(f.text, `rules/${f.name}`),
  }));
  return assembleRuleset('rules', files, { knownConnectors: ['csv', 'jsonl', 'files'] });
}

function expectClean(result: LoadResult): void {
  if (result.ruleset) {
    expect(result.problems).toEqual([]);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const p of result.problems) {
    expect(p.file).toMatch(/^rules(\/[\w.-]+)?$/);
    expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
    expect(Number.isInteger(p.column) && p.column >= 1).toBe(true);
    expect(typeof p.path).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
    // the document's own words (its path, a quoted value: a field named "NaN") aside, what the
    // validator wrote must not be a leaked undefined, object or NaN
    const own = p.message
      .split(p.path)
      .join('')
      .replace(/"(?:[^"\\]|\\.)*"/g, '""')
      .replace(/'[^']*'/g, "''");
    expect(own).not.toMatch(/undefined|\[object Object\]|NaN/);
    expect(p.code).toMatch(/^[A-Z_]+$/);
  }
}

type Mutation = (lines: string[]) => string[];
const lineIndex = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  lineIndex.map((i) => (ls: string[]) => ls.filter((_, j) => j !== i % ls.length)),
  fc.tuple(lineIndex, lineIndex).map(([i, j]) => (ls: string[]) => {
    const out = [...ls];
    const [a, b] = [i % ls.length, j % ls.length];
    [out[a], out[b]] = [out[b]!, out[a]!];
    return out;
  }),
  lineIndex.map((i) => (ls: string[]) => [
    ...ls.slice(0, i % ls.length),
    ls[i % ls.length]!,
    ...ls.slice(i % ls.length),
  ]),
  fc.tuple(lineIndex, fc.integer({ min: -4, max: 4 })).map(([i, d]) => (ls: string[]) => {
    const out = [...ls];
    const k = i % ls.length;
    out[k] = d >= 0 ? ' '.repeat(d) + out[k] : out[k]!.slice(-d);
    return out;
  }),
  fc
    .tuple(lineIndex, fc.nat(), fc.constantFrom(...TOKENS))
    .map(([i, at, token]) => (ls: string[]) => {
      const out = [...ls];
      const k = i % ls.length;
      const pos = at % (out[k]!.length + 1);
      out[k] = out[k]!.slice(0, pos) + token + out[k]!.slice(pos);
      return out;
    }),
  fc
    .tuple(lineIndex, fc.constantFrom(...WORDS), fc.constantFrom(...WORDS))
    .map(([i, from, to]) => (ls: string[]) => {
      const out = [...ls];
      const k = i % ls.length;
      out[k] = out[k]!.replace(from, to);
      return out;
    }),
  fc.tuple(lineIndex, fc.string({ maxLength: 20 })).map(([i, s]) => (ls: string[]) => {
    const out = [...ls];
    out[i % ls.length] = s;
    return out;
  }),
);

describe('rules validator under fuzzing', () => {
  it('mutated bundled files give clean problems, never a throw', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        const k = which % BUNDLED.length;
        const texts = BUNDLED.map((f, i) => {
          if (i !== k) return f;
          const lines = muts.reduce((ls, m) => (ls.length ? m(ls) : ls), f.text.split('\n'));
          return { name: f.name, text: lines.join('\n') };
        });
        expectClean(validate(texts));
      }),
      { numRuns: 200 },
    );
  });

  it('random documents of every kind give clean problems', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RULE_KINDS),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })),
        (kind, body) => {
          const text = stringify({ apiVersion: 'tally/v1', kind, ...body });
          const texts = BUNDLED.map((f) => f);
          texts.push({ name: 'zz-random.yaml', text });
          expectClean(validate(texts));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random text gives clean problems', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expectClean(validate([...BUNDLED.slice(1), { name: BUNDLED[0]!.name, text }]));
      }),
      { numRuns: 200 },
    );
  });

  it('an alias bomb is rejected with YAML_ALIAS before anything expands', () => {
    const levels = Array.from({ length: 12 }, (_, i) =>
      i === 0
        ? 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'
        : `l${i}: &l${i} [${Array(10)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
    );
    const text = `apiVersion: tally/v1\nkind: Roles\n${levels.join('\n')}\ngrants: *l11\n`;
    const result = validate([
      ...BUNDLED.filter((f) => f.name !== 'roles.yaml'),
      { name: 'roles.yaml', text },
    ]);
    expect(result.ruleset).toBeNull();
    expect(result.problems.map((p) => [p.code, p.file, p.line])).toEqual([
      ['YAML_ALIAS', 'rules/roles.yaml', 4],
    ]);
  });

  it('deep nesting is refused cleanly', () => {
    const text = `apiVersion: tally/v1\nkind: Roles\ngrants: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const result = validate([
      ...BUNDLED.filter((f) => f.name !== 'roles.yaml'),
      { name: 'roles.yaml', text },
    ]);
    expectClean(result);
    expect(result.problems[0]!.code).toMatch(/^YAML_(SYNTAX|TOO_DEEP)$/);
  });
});
