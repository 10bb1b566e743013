/**
 * Route matchers in Alertmanager's syntax: label="value", label!="value", label=~"regex",
 * label!~"regex". Regexes are anchored at both ends, as in Alertmanager, and run on RE2
 * (linear-regex.ts), so no pattern can take time exponential in the label's length.
 */
import type { Matcher } from './types.ts';
import { linearRegex, type LinearRegex } from './linear-regex.ts';

export const ROUTE_LABELS = [
  'location',
  'skuClass',
  'category',
  'source',
  'bucket',
  'severity',
  'cause',
] as const;
export type RouteLabel = (typeof ROUTE_LABELS)[number];

const SHAPE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

export function parseMatcher(text: string): Matcher | { error: string } {
  const m = SHAPE.exec(text);
  if (!m)
    return {
      error: `cannot read matcher '${text}' (expected label="value", label!="value", label=~"regex" or label!~"regex")`,
    };
  const [, label, op, raw] = m as unknown as [string, string, Matcher['op'], string];
  if (!(ROUTE_LABELS as readonly string[]).includes(label)) {
    return {
      error: `unknown label "${label}" in matcher '${text}' (labels: ${ROUTE_LABELS.join(', ')})`,
    };
  }
  const value = unquote(raw);
  if (value === undefined) {
    return { error: `cannot read the value of matcher '${text}' (quote it: ${label}${op}"…")` };
  }
  if (op === '=' || op === '!=') return { label, op, value };
  try {
    return { label, op, value, regex: linearRegex(`^(?:${value})$`) };
  } catch (error) {
    return {
      error: `invalid regex in matcher '${text}' (RE2 syntax: no backreferences or lookaround): ${(error as Error).message}`,
    };
  }
}

function unquote(raw: string): string | undefined {
  if (raw.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return /^[^\s"'`]*$/.test(raw) ? raw : undefined;
}

/** A missing label is the empty string, as in Alertmanager. */
export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const actual = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return regexOf(m).test(actual);
    case '!~':
      return !regexOf(m).test(actual);
  }
}

function regexOf(m: Matcher): LinearRegex {
  return m.regex ?? linearRegex(`^(?:${m.value})$`);
}
