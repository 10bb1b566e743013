/**
 * JSON Schema validation of one rule file (ajv, draft 2020-12, allErrors + strict), with every
 * error turned into a located, readable problem.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';
import { fromPackageRoot } from '../package-root.ts';
import { KIND_INFO, readablePath, subject } from './kinds.ts';
import type { RuleKind } from './kinds.ts';
import { fromPointer, toPointer } from './problems.ts';
import type { Problem } from './problems.ts';
import { locate } from './yaml-file.ts';
import type { RuleFile } from './yaml-file.ts';

export const SCHEMA_DIR = pathToFileURL(`${fromPackageRoot('rules', 'schema')}/`);

/** The one set of ajv options, for validators compiled at run time and at build time alike. */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  verbose: true,
  allowUnionTypes: true,
};

/** Where `npm run build` writes the compiled validators (ajv standalone code, one per kind). */
export const COMPILED_VALIDATORS_DIR = fromPackageRoot('dist', 'validators');

const requireCjs = createRequire(import.meta.url);
const validators = new Map<RuleKind, ValidateFunction>();

export function readSchemaText(kind: RuleKind): string {
  return readFileSync(new URL(KIND_INFO[kind].schemaFile, SCHEMA_DIR), 'utf8');
}

export function readSchema(kind: RuleKind): Record<string, unknown> {
  return JSON.parse(readSchemaText(kind)) as Record<string, unknown>;
}

export const schemaHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** An ajv instance (loaded only when a schema must be compiled: compiling costs start-up time). */
export function newAjv(options: Options = AJV_OPTIONS): Ajv2020Class {
  const { Ajv2020 } = requireCjs('ajv/dist/2020.js') as typeof Ajv2020Module;
  return new Ajv2020(options);
}

/** The build's validator for this kind, when it was compiled from the schema as it is now. */
function compiledValidator(kind: RuleKind): ValidateFunction | undefined {
  const file = `${COMPILED_VALIDATORS_DIR}/${kind}.cjs`;
  if (!existsSync(file)) return undefined;
  const mod = requireCjs(file) as { default: ValidateFunction; schemaSha256: string };
  return mod.schemaSha256 === schemaHash(readSchemaText(kind)) ? mod.default : undefined;
}

function getValidator(kind: RuleKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    validate = compiledValidator(kind) ?? newAjv().compile(readSchema(kind));
    validators.set(kind, validate);
  }
  return validate;
}

export function validateAgainstSchema(rf: RuleFile, kind: RuleKind): Problem[] {
  const validate = getValidator(kind);
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
