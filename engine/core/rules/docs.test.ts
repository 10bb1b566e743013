/** Keeps docs/rules.md from drifting away from the schemas, the facts and the problem codes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACTS, FACT_NAMES } from '../facts.ts';
import { RULE_KINDS } from './kinds.ts';
import { PROBLEM_CODES } from './problems.ts';
import { readSchema, validateAgainstSchema } from './schema-validate.ts';
import { parseRuleText } from './yaml-file.ts';

const DOC = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');

function section(kind: string): string {
  const start = DOC.indexOf(`\n## ${kind}\n`);
  expect(start, `docs/rules.md has a "## ${kind}" section`).toBeGreaterThanOrEqual(0);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end === -1 ? undefined : end);
}

function propertyNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => propertyNames(s, out));
  if (schema === null || typeof schema !== 'object') return out;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') Object.keys(value as object).forEach((k) => out.add(k));
    propertyNames(value, out);
  }
  return out;
}

describe('docs/rules.md', () => {
  for (const kind of RULE_KINDS) {
    it(`${kind}: its example validates against rules/schema`, () => {
      const blocks = [
        ...DOC.matchAll(
          new RegExp(`<!-- example: ${kind} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``, 'g'),
        ),
      ];
      expect(blocks).toHaveLength(1);
      const rf = parseRuleText(blocks[0]![1]!, `docs/rules.md (${kind})`);
      expect(rf.problems).toEqual([]);
      expect((rf.value as { kind: string }).kind).toBe(kind);
      expect(validateAgainstSchema(rf, kind)).toEqual([]);
    });

    it(`${kind}: every schema field is described`, () => {
      // a field counts as described when it is a word of some `code span` in its section
      const words = new Set(
        [...section(kind).matchAll(/`([^`\n]+)`/g)].flatMap((m) => m[1]!.split(/[^\w:-]+/)),
      );
      const missing = [...propertyNames(readSchema(kind))]
        .filter((p) => p !== 'apiVersion' && p !== 'kind')
        .filter((p) => !words.has(p));
      expect(missing).toEqual([]);
    });
  }

  it('lists every fact the engine provides, with the type and meaning engine/core/facts.ts declares', () => {
    // on drift, the failing assertion prints the expected rows, ready to paste into the doc
    const rows = FACT_NAMES.map(
      (f) => `| \`${f}\` | ${FACTS[f].type} | ${FACTS[f].doc.replaceAll('|', '\\|')} |`,
    );
    const documented = DOC.split('\n').filter((l) =>
      /^\| `\w+` \| (string|number|boolean) \|/.test(l),
    );
    expect(documented).toEqual(rows);
  });

  it('lists every problem code', () => {
    expect(PROBLEM_CODES.filter((c) => !DOC.includes(`| \`${c}\` |`))).toEqual([]);
  });
});
