/**
 * Location code patterns as globs: `*` any run of characters (none included), `?` one
 * character, everything else itself. A glob runs on RE2 (linear in the code's length), and two
 * globs can be told to overlap exactly — some code matches both — which a validation needs to
 * report an ambiguous location map; general regular expressions offer no such test.
 */
import { linearRegex, type LinearRegex } from './linear-regex.ts';

const escape = (c: string) => c.replace(/[\\^$.|+()[\]{}*?]/g, '\\$&');

/** The glob as an anchored RE2 pattern. */
export function globSource(glob: string): string {
  let out = '';
  for (const c of glob) out += c === '*' ? '.*' : c === '?' ? '.' : escape(c);
  return `^(?:${out})$`;
}

export function compileGlob(glob: string): LinearRegex {
  return linearRegex(globSource(glob));
}

/**
 * Whether a text matches any of the globs, for a hot path (a run's references): a glob with no
 * wildcard is a comparison, one whose only wildcard is a trailing `*` a prefix test; the others
 * go to RE2 together (a call into it costs about a microsecond).
 */
export function anyGlob(globs: readonly string[]): (text: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const others: string[] = [];
  for (const glob of globs) {
    const wild = glob.search(/[*?]/);
    if (wild === -1) exact.add(glob);
    else if (wild === glob.length - 1 && glob.endsWith('*')) prefixes.push(glob.slice(0, -1));
    else others.push(glob);
  }
  const rest = others.length ? linearRegex(others.map(globSource).join('|')) : undefined;
  return (text) =>
    exact.has(text) || prefixes.some((p) => text.startsWith(p)) || (rest?.test(text) ?? false);
}

/**
 * Whether some text matches both globs: a walk over (position in a, position in b) where a
 * star may match nothing or one more character the other side can give. O(|a| × |b|).
 */
export function globsOverlap(a: string, b: string): boolean {
  const p = [...a];
  const q = [...b];
  const seen = new Set<number>();
  const width = q.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === p.length && j === q.length) return true;
    const x = p[i];
    const y = q[j];
    if (x === '*') {
      stack.push([i + 1, j]);
      if (y !== undefined) stack.push([i, j + 1]);
    }
    if (y === '*') {
      stack.push([i, j + 1]);
      if (x !== undefined && x !== '*') stack.push([i + 1, j]);
    }
    if (x !== undefined && y !== undefined && x !== '*' && y !== '*') {
      if (x === y || x === '?' || y === '?') stack.push([i + 1, j + 1]);
    }
  }
  return false;
}

/** A code that matches both globs (for the message), or undefined when none does. */
export function overlapExample(a: string, b: string): string | undefined {
  if (!globsOverlap(a, b)) return undefined;
  // the longer glob with its wildcards filled in is a code of its own; try both ways round
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const candidate = x.replace(/\*/g, '').replace(/\?/g, '0');
    if (compileGlob(y).test(candidate) && compileGlob(x).test(candidate)) return candidate;
    const filled = x.replace(/\*/g, '1').replace(/\?/g, '1');
    if (compileGlob(y).test(filled) && compileGlob(x).test(filled)) return filled;
  }
  return undefined;
}
