/**
 * Every ```yaml example in docs/ goes through the validator, so the docs cannot promise a
 * setting the rules refuse. Three shapes:
 *  - a whole rule file (`apiVersion` + `kind`): JSON Schema, the cross-file checks as a one-file
 *    ruleset, and each source's connector settings; `kind: RuleTests` is loaded as rule tests
 *    against the bundled rules;
 *  - a list of sources (`- id: …`, the connector pages): wrapped into a Sources file and checked
 *    the same way;
 *  - a block whose first line is `# fragment` (a piece of a file): parsed as YAML only.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseRuleText } from '../../engine/core/rules/yaml-file.ts';
import type { RuleFile } from '../../engine/core/rules/yaml-file.ts';
import { validateAgainstSchema } from '../../engine/core/rules/schema-validate.ts';
import { runChecks } from '../../engine/core/rules/checks/index.ts';
import { RULE_KINDS, isRuleKind } from '../../engine/core/rules/kinds.ts';
import type { RuleKind } from '../../engine/core/rules/kinds.ts';
import type { LoadedDocs } from '../../engine/core/rules/docs.ts';
import { compileSources } from '../../engine/core/rules/compile-sources.ts';
import { formatProblem } from '../../engine/core/rules/problems.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { loadRuleTests } from '../../engine/services/rulestest/load.ts';
import { connectorIds, getConnector } from '../../connectors/registry.ts';

const ROOT = new URL('../../', import.meta.url);
const DOCS = new URL('docs/', ROOT);

type Example = { file: string; line: number; text: string };

function markdownFiles(dir: URL, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return markdownFiles(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
    return e.name.endsWith('.md') ? [`${rel}${e.name}`] : [];
  });
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const rel of markdownFiles(DOCS)) {
    const text = readFileSync(new URL(rel, DOCS), 'utf8');
    for (const m of text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)) {
      const line = text.slice(0, m.index).split('\n').length + 1;
      out.push({ file: `docs/${rel}`, line, text: m[1]! });
    }
  }
  return out;
}

/** Problems of one rule file validated as a ruleset of its own, plus its connectors' settings. */
function checkRuleFile(rf: RuleFile, kind: RuleKind): string[] {
  const schema = validateAgainstSchema(rf, kind);
  if (schema.length > 0) return schema.map(formatProblem);
  const docs = Object.fromEntries(RULE_KINDS.map((k) => [k, []])) as unknown as LoadedDocs;
  (docs[kind] as unknown[]).push({ kind, rf, doc: rf.value });
  const problems = runChecks(docs, connectorIds()).map(formatProblem);
  if (kind !== 'Sources' || problems.length > 0) return problems;
  for (const source of compileSources(docs.Sources).values()) {
    const found = getConnector(source.connector).checkSettings(source);
    problems.push(...found.map((p) => `source ${source.id}: ${p}`));
  }
  return problems;
}

async function checkRuleTests(text: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-doc-tests-'));
  try {
    writeFileSync(path.join(dir, 'example.yaml'), text);
    const ruleset = await loadRulesetOrThrow(new URL('rules/', ROOT).pathname);
    const { problems } = await loadRuleTests(dir, ruleset);
    return problems.map(formatProblem);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function problemsOf(ex: Example): Promise<string[]> {
  const name = `${ex.file}:${ex.line}`;
  const rf = parseRuleText(ex.text, name);
  if (rf.problems.length > 0) return rf.problems.map(formatProblem);
  if (/^# fragment\b/.test(ex.text)) return [];
  const value = rf.value as Record<string, unknown> | unknown[] | null;
  if (Array.isArray(value)) {
    const wrapped = stringify({ apiVersion: 'tally/v1', kind: 'Sources', sources: value });
    return checkRuleFile(parseRuleText(wrapped, `${name} (as a Sources file)`), 'Sources');
  }
  const kind = value?.kind;
  if (kind === 'RuleTests') return checkRuleTests(ex.text);
  if (!isRuleKind(kind)) {
    return [`${name}: neither a rule file, a list of sources nor marked "# fragment"`];
  }
  return checkRuleFile(rf, kind);
}

describe('YAML examples in docs/', () => {
  const all = examples();

  it('finds the examples', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  for (const ex of all) {
    it(`${ex.file}:${ex.line} validates`, async () => {
      expect(await problemsOf(ex)).toEqual([]);
    });
  }
});
