/**
 * Safe YAML reading for rule files: core schema, no custom tags, no aliases (an alias bomb is
 * rejected before anything is expanded), duplicate keys rejected, one document per file, a
 * size cap. Every problem carries the line and column it came from.
 */
import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument, visit, isMap, isSeq, isScalar, isPair } from 'yaml';
import type { Document, Pair } from 'yaml';
import type { Problem, ProblemCode } from './problems.ts';

export const MAX_RULE_FILE_BYTES = 1024 * 1024;
/** Deeper documents are refused before validation recurses through them. */
export const MAX_DEPTH = 40;

export type RuleFile = {
  /** Display path (used in problems). */
  file: string;
  /** Parsed plain value; undefined when the file could not be parsed. */
  value: unknown;
  doc?: Document;
  lineCounter: LineCounter;
  problems: Problem[];
};

type Pos = { line: number; column: number };

export async function readRuleFile(absPath: string, file: string): Promise<RuleFile> {
  const lineCounter = new LineCounter();
  const fail = (code: ProblemCode, message: string): RuleFile => ({
    file,
    value: undefined,
    lineCounter,
    problems: [{ file, line: 1, column: 1, path: '', message, code }],
  });
  try {
    const info = await stat(absPath);
    if (info.size > MAX_RULE_FILE_BYTES) {
      return fail(
        'FILE_TOO_LARGE',
        `file is ${info.size} bytes; rule files are limited to ${MAX_RULE_FILE_BYTES} bytes`,
      );
    }
    return parseRuleText(await readFile(absPath, 'utf8'), file);
  } catch (error) {
    return fail('FILE_UNREADABLE', `cannot read file: ${(error as Error).message}`);
  }
}

export function parseRuleText(text: string, file: string): RuleFile {
  try {
    return parseUnguarded(text, file);
  } catch (error) {
    // the parser and the tree walk recurse; a pathological nesting can exhaust the stack
    if (!(error instanceof RangeError)) throw error;
    return {
      file,
      value: undefined,
      lineCounter: new LineCounter(),
      problems: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `YAML: nested too deeply to read`,
          code: 'YAML_TOO_DEEP',
        },
      ],
    };
  }
}

function parseUnguarded(text: string, file: string): RuleFile {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const at = (offset: number, code: ProblemCode, message: string) => {
    const { line, col } = lineCounter.linePos(offset);
    problems.push({ file, line, column: col, path: '', message, code });
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_RULE_FILE_BYTES) {
    at(0, 'FILE_TOO_LARGE', `rule files are limited to ${MAX_RULE_FILE_BYTES} bytes`);
    return { file, value: undefined, lineCounter, problems };
  }
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    merge: false,
    uniqueKeys: true,
    stringKeys: true,
    prettyErrors: false,
    strict: true,
  });
  for (const e of doc.errors) at(e.pos[0], yamlCode(e.code), `YAML: ${yamlMessage(e, text)}`);
  // unresolved tags are reported below with every other tag
  for (const w of doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')) {
    at(w.pos[0], 'YAML_SYNTAX', `YAML: ${firstLine(w.message)}`);
  }
  const aliases: number[] = [];
  visit(doc, {
    Alias(_key, node) {
      aliases.push(node.range?.[0] ?? 0);
      return visit.SKIP;
    },
    Node(_key, node) {
      if (node.tag) {
        const tag = node.tag.replace('tag:yaml.org,2002:', '!!');
        at(node.range?.[0] ?? 0, 'YAML_TAG', `YAML: tags (${tag}) are not allowed in rule files`);
      }
    },
  });
  // one problem per file: an alias bomb has thousands of aliases
  if (aliases.length > 0) {
    const more = aliases.length > 1 ? ` (${aliases.length} aliases in this file)` : '';
    at(
      aliases[0]!,
      'YAML_ALIAS',
      `YAML: aliases (*name) are not allowed in rule files; write the value out${more}`,
    );
  }
  if (problems.length > 0) return { file, value: undefined, doc, lineCounter, problems };
  const deep = tooDeep(doc.contents);
  if (deep !== undefined) {
    at(deep, 'YAML_TOO_DEEP', `YAML: nested more than ${MAX_DEPTH} levels deep`);
    return { file, value: undefined, doc, lineCounter, problems };
  }
  // aliases were rejected above, so nothing can expand here; the count is a second guard
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  return { file, value, doc, lineCounter, problems };
}

/** Offset of the first node nested deeper than MAX_DEPTH, found without recursion. */
function tooDeep(root: unknown): number | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push([item.key, depth + 1], [item.value, depth + 1]);
      } else {
        stack.push([item, depth + 1]);
      }
    }
  }
  return undefined;
}

function yamlCode(code: string): ProblemCode {
  if (code === 'DUPLICATE_KEY') return 'YAML_DUPLICATE_KEY';
  if (code === 'MULTIPLE_DOCS') return 'YAML_MULTIPLE_DOCUMENTS';
  if (code === 'TAG_RESOLVE_FAILED') return 'YAML_TAG';
  return 'YAML_SYNTAX';
}

function yamlMessage(e: { code: string; message: string; pos: [number, number] }, text: string) {
  if (/call stack/i.test(e.message)) return 'nested too deeply to read';
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^\s*("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(e.pos[0]))?.[1];
    return `key ${key ?? ''} appears twice in the same mapping`.replace('  ', ' ');
  }
  if (e.code === 'MULTIPLE_DOCS') {
    return 'a rule file holds one document; put what follows this "---" in a file of its own';
  }
  return firstLine(e.message);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Line and column of the node at `segments` (or of its key when `key` is true); falls back to
 * the nearest existing ancestor so a missing field points at the object that lacks it.
 */
export function locate(rf: RuleFile, segments: readonly (string | number)[], key = false): Pos {
  let node: unknown = rf.doc?.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p: Pair) => isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      if (last && key) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = rf.lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  if (isPair(node)) return undefined;
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
