/**
 * json-rules-engine conditions compiled into plain functions. Same semantics as the library's
 * default operators (including its number check on the fact value), proven by a property test
 * against json-rules-engine itself; ~1,000× faster, so every difference can be classified.
 */
import type { ClassificationRule } from '../rules/types.ts';
import type { ConditionTrace } from './trace.ts';

type Values = Record<string, unknown>;
type Leaf = { fact: string; operator: string; value: unknown; path?: string };
export type Predicate = (facts: Values) => boolean;

export class UnsupportedCondition extends Error {}

// A number reads back as itself (NaN as "NaN"): no text round trip for the usual fact values.
const isNumeric = (v: unknown) =>
  typeof v === 'number' ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== 'NaN';

const OPERATORS: Record<string, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number),
};

/** The pathResolver given to json-rules-engine too, so both read `path` the same way. */
export function resolvePath(value: unknown, path: string): unknown {
  const parts = path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean);
  let v: unknown = value;
  for (const p of parts) v = v === null || v === undefined ? undefined : (v as Values)[p];
  return v;
}

function operatorFn(name: string): (a: unknown, b: unknown) => boolean {
  if (name.startsWith('not:')) {
    const inner = operatorFn(name.slice(4));
    return (a, b) => !inner(a, b);
  }
  const fn = OPERATORS[name];
  if (!fn) throw new UnsupportedCondition(`operator "${name}"`);
  return fn;
}

function factReader(fact: string, path: string | undefined): (f: Values) => unknown {
  return path ? (f) => resolvePath(f[fact], path) : (f) => f[fact];
}

function valueReader(value: unknown): (f: Values) => unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const ref = value as { fact: string; path?: string };
    return factReader(ref.fact, ref.path);
  }
  return () => value;
}

function compileLeaf(leaf: Leaf): Predicate {
  const op = operatorFn(leaf.operator);
  const read = factReader(leaf.fact, leaf.path);
  const value = valueReader(leaf.value);
  return (f) => op(read(f), value(f));
}

/**
 * One function per condition, generated as source: fact reads are property loads with literal
 * names (each keeps its own inline cache over the facts object, where a shared reader sees a
 * different name every call), all/any are && and ||. Only literals made by JSON.stringify and
 * indexes reach the source; operators, paths and values are passed in arrays.
 */
export function compileCondition(c: unknown): Predicate {
  const ops: ((a: unknown, b: unknown) => boolean)[] = [];
  const consts: unknown[] = [];
  const body = conditionSource(c, ops, consts);
  const make = new Function('o', 'c', 'p', `return function (f) { return ${body}; };`);
  return make(ops, consts, resolvePath) as Predicate;
}

function conditionSource(c: unknown, ops: unknown[], consts: unknown[]): string {
  const node = c as Record<string, unknown>;
  const parts = (list: unknown[]) => list.map((x) => conditionSource(x, ops, consts));
  if (Array.isArray(node.all)) {
    return node.all.length === 0 ? 'true' : `(${parts(node.all).join(' && ')})`;
  }
  if (Array.isArray(node.any)) {
    return node.any.length === 0 ? 'false' : `(${parts(node.any).join(' || ')})`;
  }
  if (node.not !== undefined) return `!${conditionSource(node.not, ops, consts)}`;
  if (typeof node.fact === 'string' && typeof node.operator === 'string') {
    const leaf = node as unknown as Leaf;
    const [read, value] = [
      factSource(leaf.fact, leaf.path, consts),
      valueSource(leaf.value, consts),
    ];
    // the commonest operators inline, as OPERATORS defines them
    if (leaf.operator === 'equal') return `(${read} === ${value})`;
    if (leaf.operator === 'notEqual') return `(${read} !== ${value})`;
    ops.push(operatorFn(leaf.operator));
    return `o[${ops.length - 1}](${read}, ${value})`;
  }
  throw new UnsupportedCondition(`condition ${JSON.stringify(node).slice(0, 80)}`);
}

function factSource(fact: unknown, path: unknown, consts: unknown[]): string {
  const read = `f[${JSON.stringify(String(fact))}]`;
  if (!path) return read;
  consts.push(path);
  return `p(${read}, c[${consts.length - 1}])`;
}

function valueSource(value: unknown, consts: unknown[]): string {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const ref = value as { fact: unknown; path?: unknown };
    return factSource(ref.fact, ref.path, consts);
  }
  consts.push(value);
  return `c[${consts.length - 1}]`;
}

/** Every leaf condition with its fact value and result, in declaration order. */
export function traceCondition(c: unknown, facts: Values, out: ConditionTrace[] = []) {
  for (const trace of compileTrace(c)) out.push(trace(facts));
  return out;
}

export type Tracer = (facts: Values) => ConditionTrace;

/** A leaf condition compiled: its result alone for given facts, and its trace. */
export type CompiledLeaf = { test: Predicate; trace: Tracer };

/** Every leaf condition compiled, in declaration order (what a trace lists). */
export function compileLeaves(c: unknown, out: CompiledLeaf[] = []): CompiledLeaf[] {
  const node = c as Record<string, unknown>;
  const children = (node.all ?? node.any) as unknown[] | undefined;
  if (Array.isArray(children)) {
    for (const child of children) compileLeaves(child, out);
  } else if (node.not !== undefined) {
    compileLeaves(node.not, out);
  } else {
    const leaf = node as unknown as Leaf;
    const read = factReader(leaf.fact, leaf.path);
    const test = compileLeaf(leaf);
    const trace = (facts: Values) => {
      const t: ConditionTrace = {
        fact: leaf.fact,
        operator: leaf.operator,
        value: leaf.value,
        factValue: read(facts),
        result: test(facts),
      };
      if (leaf.path) t.path = leaf.path;
      return t;
    };
    out.push({ test, trace });
  }
  return out;
}

/** traceCondition compiled once: one tracer per leaf, in declaration order. */
export function compileTrace(c: unknown): Tracer[] {
  return compileLeaves(c).map((l) => l.trace);
}

export type CompiledRule = { rule: ClassificationRule; test: Predicate };

/** Rules by priority, highest first; ties keep declaration order. */
export function byPriority(rules: ClassificationRule[]): ClassificationRule[] {
  return rules
    .map((rule, order) => ({ rule, order }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.order - b.order)
    .map((r) => r.rule);
}

/** Rules compiled, in byPriority order. Throws UnsupportedCondition when unsupported. */
export function compileRules(rules: ClassificationRule[]): CompiledRule[] {
  return byPriority(rules).map((rule) => ({ rule, test: compileCondition(rule.conditions) }));
}

/**
 * Every rule in one generated function: the rules that fire for the facts, in the order
 * given (compileRules' order). One call per decision instead of one per rule and operator.
 */
export function compileFiring(
  rules: readonly ClassificationRule[],
): (facts: Values) => ClassificationRule[] {
  const ops: ((a: unknown, b: unknown) => boolean)[] = [];
  const consts: unknown[] = [];
  const tests = rules.map(
    (r, i) => `if (${conditionSource(r.conditions, ops, consts)}) out.push(r[${i}]);`,
  );
  const body = `const out = []; ${tests.join(' ')} return out;`;
  const make = new Function('o', 'c', 'p', 'r', `return function (f) { ${body} };`);
  return make(ops, consts, resolvePath, rules) as (facts: Values) => ClassificationRule[];
}
