/**
 * JSON Schema validation of one rule file (ajv, draft 2020-12, allErrors + strict), with every
 * error turned into a located, readable problem.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { KIND_INFO, RULE_KINDS, readablePath, subject } from './kinds.ts';
import type { RuleKind } from './kinds.ts';
import { fromPointer, toPointer } from './problems.ts';
import type { Problem } from './problems.ts';
import { locate } from './yaml-file.ts';
import type { RuleFile } from './yaml-file.ts';

export const SCHEMA_DIR = new URL('../../../rules/schema/', import.meta.url);

let validators: Map<RuleKind, ValidateFunction> | undefined;

export function readSchema(kind: RuleKind): Record<string, unknown> {
  const url = new URL(KIND_INFO[kind].schemaFile, SCHEMA_DIR);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

function getValidators(): Map<RuleKind, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  validators = new Map(RULE_KINDS.map((kind) => [kind, ajv.compile(readSchema(kind))]));
  return validators;
}

export function validateAgainstSchema(rf: RuleFile, kind: RuleKind): Problem[] {
  const validate = getValidators().get(kind)!;
  if (validate(rf.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !isNoise(e, validate.errors ?? []));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const p = toProblem(rf, kind, error);
    const id = `${p.path}|${p.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(p);
  }
  return problems;
}

/** Sub-errors of an anyOf are replaced by one message about the anyOf itself. */
function isNoise(e: ErrorObject, all: ErrorObject[]): boolean {
  return all.some(
    (other) =>
      other !== e && other.keyword === 'anyOf' && e.schemaPath.startsWith(other.schemaPath + '/'),
  );
}

function toProblem(rf: RuleFile, kind: RuleKind, e: ErrorObject): Problem {
  const segments: (string | number)[] = fromPointer(e.instancePath);
  let key = false;
  let reason: string;
  const p = e.params as Record<string, unknown>;
  const title = (e.parentSchema as { title?: string } | undefined)?.title;
  const propertyName = (e as { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    segments.push(propertyName);
    key = true;
    reason = `field name ${JSON.stringify(propertyName)} ${e.message ?? 'is not valid'}`;
  } else if (e.keyword === 'required') {
    reason = `missing required field "${String(p.missingProperty)}"`;
  } else if (e.keyword === 'additionalProperties') {
    segments.push(String(p.additionalProperty));
    key = true;
    const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
    reason = `unknown field "${String(p.additionalProperty)}" (allowed: ${allowed.join(', ')})`;
  } else if (e.keyword === 'enum') {
    const allowed = (p.allowedValues as unknown[]).map(String).join(', ');
    reason = `unknown ${title ?? 'value'} ${JSON.stringify(e.data)} (expected one of ${allowed})`;
  } else if (e.keyword === 'const') {
    reason = `must be ${JSON.stringify(p.allowedValue)}, not ${JSON.stringify(e.data)}`;
  } else if (e.keyword === 'type') {
    reason = `must be ${article(String(p.type))}, not ${describeType(e.data)}`;
  } else if (e.keyword === 'pattern') {
    const hint = (e.parentSchema as { description?: string }).description;
    reason = `${JSON.stringify(e.data)} is not a valid ${title ?? 'value'} (must match ${String(p.pattern)}${hint ? `; ${hint}` : ''})`;
  } else if (e.keyword === 'anyOf') {
    reason = describeAnyOf(e);
  } else if (e.keyword === 'uniqueItems') {
    reason = `lists the same item twice (items ${String(p.j)} and ${String(p.i)})`;
  } else {
    reason = e.message ?? `fails ${e.keyword}`;
  }
  const pos = locate(rf, segments, key);
  const where = readablePath(kind, rf.value, segments);
  return {
    file: rf.file,
    line: pos.line,
    column: pos.column,
    path: toPointer(segments),
    message: `${subject(kind, where)}: ${reason}`,
    code: 'SCHEMA',
  };
}

function describeAnyOf(e: ErrorObject): string {
  const options = (e.schema as { required?: string[]; description?: string }[]) ?? [];
  if (options.every((o) => Array.isArray(o.required) && o.required.length === 1)) {
    return `needs at least one of ${options.map((o) => o.required![0]).join(', ')}`;
  }
  const hint = (e.parentSchema as { description?: string }).description;
  return `is not one of the allowed forms${hint ? ` (${hint})` : ''}`;
}

function article(type: string): string {
  const words = type
    .split(',')
    .map((t) =>
      t === 'integer'
        ? 'a whole number'
        : t === 'object'
          ? 'a mapping'
          : t === 'array'
            ? 'a list'
            : t === 'null'
              ? 'null'
              : `a ${t}`,
    );
  return words.join(' or ');
}

function describeType(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'number' && !Number.isInteger(data)) return `the number ${data}`;
  return `${typeof data} ${JSON.stringify(data)}`;
}
