/**
 * Reads rule test files: safe YAML (the rules reader), JSON Schema (rules/schema/
 * rule-tests.schema.json) and checks against the ruleset — every problem at once, located.
 */
import { pathToFileURL } from 'node:url';
import { fromPackageRoot } from '../../core/package-root.ts';
import { readdir, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { readRuleFile, locate, type RuleFile } from '../../core/rules/yaml-file.ts';
import { fromPointer, sortProblems, toPointer, type Problem } from '../../core/rules/problems.ts';
import { displayPath } from '../../core/rules/load.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import type { RuleTest } from './types.ts';
import { checkTest, readable } from './check.ts';

export const TESTS_SCHEMA = pathToFileURL(
  fromPackageRoot('rules', 'schema', 'rule-tests.schema.json'),
);

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  validator = ajv.compile(JSON.parse(readFileSync(TESTS_SCHEMA, 'utf8')) as object);
  return validator;
}

export type LoadedTests = { tests: RuleTest[]; problems: Problem[]; files: string[] };

/** Every *.yaml / *.yml in `dir` (not recursive); a missing folder is a problem, not a throw. */
export async function loadRuleTests(dir: string, ruleset: Ruleset | null): Promise<LoadedTests> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    const message = `no rule tests folder ${displayPath(dir)} (put tests in <rules>/tests/*.yaml)`;
    return {
      tests: [],
      files: [],
      problems: [
        { file: displayPath(dir), line: 1, column: 1, path: '', message, code: 'FILE_UNREADABLE' },
      ],
    };
  }
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const tests: RuleTest[] = [];
  const problems: Problem[] = [];
  const files: string[] = [];
  for (const name of names) {
    const abs = path.join(dir, name);
    const rf = await readRuleFile(abs, displayPath(abs));
    files.push(rf.file);
    problems.push(...rf.problems);
    if (rf.problems.length > 0) continue;
    const schemaProblems = validate(rf);
    problems.push(...schemaProblems);
    if (schemaProblems.length > 0) continue;
    const doc = rf.value as { tests: Record<string, unknown>[] };
    doc.tests.forEach((raw, i) => {
      const test = toTest(rf, raw, i);
      const found = checkTest(rf, raw, i, test, ruleset);
      problems.push(...found);
      if (found.length === 0 && test) tests.push(test);
    });
  }
  return { tests, problems: sortProblems(problems), files };
}

function toTest(rf: RuleFile, raw: Record<string, unknown>, i: number): RuleTest | null {
  const at = locate(rf, ['tests', i]);
  const base = { file: rf.file, line: at.line, column: at.column, name: String(raw.name) };
  const expect = raw.expect as RuleTest['expect'];
  if (raw.facts)
    return {
      ...base,
      given: { kind: 'facts', facts: raw.facts as Record<string, string> },
      expect,
    };
  if (raw.labels)
    return {
      ...base,
      given: { kind: 'labels', labels: raw.labels as Record<string, string> },
      expect,
    };
  if (raw.scenario)
    return { ...base, given: { kind: 'scenario', scenario: raw.scenario as never }, expect };
  return null;
}

function validate(rf: RuleFile): Problem[] {
  const v = getValidator();
  if (v(rf.value)) return [];
  const errors = (v.errors ?? []).filter(
    (e) =>
      !(v.errors ?? []).some(
        (o) => o !== e && o.keyword === 'anyOf' && e.schemaPath.startsWith(o.schemaPath + '/'),
      ),
  );
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of errors) {
    const p = toProblem(rf, e);
    if (seen.has(p.path + p.message)) continue;
    seen.add(p.path + p.message);
    out.push(p);
  }
  return out;
}

function toProblem(rf: RuleFile, e: ErrorObject): Problem {
  const segments: (string | number)[] = fromPointer(e.instancePath);
  const params = e.params as Record<string, unknown>;
  let key = false;
  let reason = e.message ?? `fails ${e.keyword}`;
  if (e.keyword === 'additionalProperties') {
    segments.push(String(params.additionalProperty));
    key = true;
    reason = `unknown field "${String(params.additionalProperty)}"`;
  } else if (e.keyword === 'required') {
    reason = `missing required field "${String(params.missingProperty)}"`;
  } else if (e.keyword === 'enum') {
    reason = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  } else if (e.keyword === 'anyOf') {
    reason = 'is not one of the allowed forms';
  }
  const pos = locate(rf, segments, key);
  return {
    file: rf.file,
    line: pos.line,
    column: pos.column,
    path: toPointer(segments),
    message: `RuleTests ${readable(segments)}: ${reason}`,
    code: 'SCHEMA',
  };
}
