/**
 * loadRuleset: read every rule file of a folder, validate each against its schema, run the
 * cross-file checks, and compile — reporting every problem at once, each located.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import type { Ruleset } from './types.ts';
import type { LoadedDocs } from './docs.ts';
import { API_VERSION, KIND_INFO, RULE_KINDS, isRuleKind } from './kinds.ts';
import type { RuleKind } from './kinds.ts';
import { formatProblem, sortProblems } from './problems.ts';
import type { Problem } from './problems.ts';
import { locate, readRuleFile } from './yaml-file.ts';
import type { RuleFile } from './yaml-file.ts';
import { validateAgainstSchema } from './schema-validate.ts';
import { runChecks } from './checks/index.ts';
import { locationRows, readLocationFiles } from './location-files.ts';
import type { TableText } from './location-files.ts';
import { compileRuleset } from './compile.ts';
import { contentHash, gitCommit, rulesetVersion } from './version.ts';

export type LoadOptions = {
  /** Connector ids from the registry; when given, every source's connector must be one. */
  knownConnectors?: readonly string[];
  /** The Mappings `locationFiles` as read, by declared path (loadRuleset reads them). */
  locationTables?: ReadonlyMap<string, TableText>;
};

export type LoadResult = { ruleset: Ruleset | null; problems: Problem[] };

export const MAX_RULE_FILES = 200;

export async function loadRuleset(dir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const names = await listRuleFiles(dir);
  const files: NamedFile[] = [];
  for (const name of names.slice(0, MAX_RULE_FILES)) {
    const full = path.join(dir, name);
    files.push({ name, rf: await readRuleFile(full, displayPath(full)) });
  }
  const values = files.map((f) => f.rf.value);
  const locationTables = await readLocationFiles(dir, values, displayPath);
  const result = assembleRuleset(dir, files, { ...opts, locationTables }, gitCommit);
  if (names.length > MAX_RULE_FILES) {
    const tooMany = folderProblem(dir, `more than ${MAX_RULE_FILES} rule files`, 'BAD_VALUE');
    return { ruleset: null, problems: [tooMany, ...result.problems] };
  }
  return result;
}

export type NamedFile = { name: string; rf: RuleFile };

/**
 * Validates and compiles already-read rule files (in-memory callers and tests use this
 * directly). `commitOf` finds the git commit of the folder; pass () => undefined to skip it.
 */
export function assembleRuleset(
  dir: string,
  files: NamedFile[],
  opts: LoadOptions = {},
  commitOf: (dir: string) => string | undefined = () => undefined,
): LoadResult {
  const problems: Problem[] = [];
  const docs = emptyDocs();
  const parsed: { name: string; value: unknown }[] = [];
  const seenKinds = new Set<string>();
  for (const { name, rf } of files) {
    problems.push(...rf.problems);
    if (rf.problems.length > 0) continue;
    parsed.push({ name, value: rf.value });
    const kind = headerProblems(rf, problems);
    seenKinds.add(String((rf.value as { kind?: unknown } | null)?.kind));
    if (!kind) continue;
    const schemaProblems = validateAgainstSchema(rf, kind);
    problems.push(...schemaProblems);
    if (schemaProblems.length > 0) continue;
    addDoc(docs, kind, rf, problems);
  }
  // a file that did not parse may be the missing kind: say nothing rather than guess
  const unparsed = parsed.length < files.length;
  for (const kind of RULE_KINDS) {
    if (seenKinds.has(kind) || unparsed || KIND_INFO[kind].optional) continue;
    const message = `no ${kind} file (every ruleset needs one, with "kind: ${kind}")`;
    problems.push(folderProblem(dir, message, 'MISSING_KIND'));
  }
  const located = locationRows(docs.Mappings[0], opts.locationTables);
  problems.push(...located.problems);
  problems.push(...runChecks(docs, opts.knownConnectors, located.rows));
  if (problems.length > 0) return { ruleset: null, problems: sortProblems(problems) };
  // a changed bin list is a changed ruleset
  for (const [p, t] of opts.locationTables ?? [])
    if ('text' in t) parsed.push({ name: p, value: t.text });
  const version = rulesetVersion(contentHash(parsed), commitOf(dir));
  const names = files.map((f) => f.rf.file);
  return { ruleset: compileRuleset(docs, dir, names, version, located.rows), problems: [] };
}

/** For callers that cannot go on without rules: every problem in one InputError. */
export async function loadRulesetOrThrow(dir: string, opts: LoadOptions = {}): Promise<Ruleset> {
  const { ruleset, problems } = await loadRuleset(dir, opts);
  if (ruleset) return ruleset;
  const lines = problems.map((p) => `  ${formatProblem(p)}`).join('\n');
  throw new InputError(
    'RULES_INVALID',
    `the rules in ${displayPath(dir)} have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines}`,
    { file: displayPath(dir) },
  );
}

async function listRuleFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InputError('RULES_DIR_NOT_FOUND', `rules folder not found: ${dir}`);
  }
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

function headerProblems(rf: RuleFile, problems: Problem[]): RuleKind | undefined {
  const value = rf.value as Record<string, unknown> | null;
  const at = (segments: string[], code: Problem['code'], message: string) => {
    const pos = locate(rf, segments);
    problems.push({
      file: rf.file,
      ...pos,
      path: segments.map((s) => `/${s}`).join(''),
      message,
      code,
    });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    at([], 'SCHEMA', 'a rule file must be a mapping with apiVersion and kind');
    return undefined;
  }
  if (value.apiVersion !== API_VERSION) {
    at(
      ['apiVersion'],
      'UNKNOWN_API_VERSION',
      `apiVersion must be "${API_VERSION}", not ${JSON.stringify(value.apiVersion ?? null)}`,
    );
  }
  if (!isRuleKind(value.kind)) {
    at(
      ['kind'],
      'UNKNOWN_KIND',
      `unknown kind ${JSON.stringify(value.kind ?? null)} (expected one of ${RULE_KINDS.join(', ')})`,
    );
    return undefined;
  }
  return value.apiVersion === API_VERSION ? value.kind : undefined;
}

function addDoc(docs: LoadedDocs, kind: RuleKind, rf: RuleFile, problems: Problem[]): void {
  const list = docs[kind] as { kind: RuleKind; rf: RuleFile; doc: unknown }[];
  if (list.length > 0 && !KIND_INFO[kind].repeatable) {
    const pos = locate(rf, ['kind']);
    const message = `${kind}: only one ${kind} file is allowed; ${list[0]!.rf.file} already is one`;
    problems.push({ file: rf.file, ...pos, path: '/kind', message, code: 'DUPLICATE_KIND' });
    return;
  }
  list.push({ kind, rf, doc: rf.value });
}

function emptyDocs(): LoadedDocs {
  return Object.fromEntries(RULE_KINDS.map((k) => [k, []])) as unknown as LoadedDocs;
}

function folderProblem(dir: string, message: string, code: Problem['code']): Problem {
  return { file: displayPath(dir), line: 1, column: 1, path: '', message, code };
}

/** Relative to the working directory when inside it, so messages read rules/x.yaml:3:5. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(p);
}
