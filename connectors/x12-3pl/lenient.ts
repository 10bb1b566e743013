/**
 * An interchange node-x12 cannot parse (a GS or ST missing, segments out of order, a short ISA)
 * is still read leniently, segment by segment, for two things: a reason a person can act on
 * (which segment, on which line, is out of place) instead of the parser's internal error, and
 * the transaction sets it holds, so the keys their item lines name are left incomplete like
 * those of any refused set (set-keys.ts).
 */
import type { Seg } from './segments.ts';

export type LenientSet = { type: string; line: number; segments: Seg[] };
export type LenientRead = { problem: string; sets: LenientSet[]; subElementDelimiter: string };

/** Segments of an interchange by its own delimiters (ISA04 position and ISA16), with lines. */
function segmentsOf(text: string, lineOffset: number): { segs: Seg[]; sub: string } {
  const delimiter = text.charAt(3);
  const terminator = text.length > 105 ? text.charAt(105) : '~';
  const sub = text.length > 104 ? text.charAt(104) : '>';
  const segs: Seg[] = [];
  let line = lineOffset + 1;
  let from = 0;
  while (from < text.length) {
    let end = text.indexOf(terminator, from);
    if (end < 0) end = text.length;
    const piece = text.slice(from, end);
    const lead = piece.length - piece.trimStart().length;
    const startLine = line + countNewlines(piece.slice(0, lead));
    const body = piece.trim();
    if (body) {
      const [tag = '', ...values] = body.split(delimiter);
      segs.push({ tag: tag.trim(), values, line: startLine });
    }
    line += countNewlines(piece) + (text.charAt(end) === '\n' ? 1 : 0);
    from = end + 1;
  }
  return { segs, sub };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The first segment out of the ISA → GS → ST … SE → GE → IEA order, named with its line. */
function firstOutOfPlace(segs: Seg[]): string | undefined {
  let inGroup = false;
  let inSet = false;
  for (const s of segs) {
    const at = `${s.tag} at line ${s.line}`;
    if (s.tag === 'GS') {
      if (inGroup) return `${at} opens a group inside group (no GE before it)`;
      inGroup = true;
    } else if (s.tag === 'ST') {
      if (!inGroup) return `${at} is outside a functional group (no GS before it)`;
      if (inSet) return `${at} opens a transaction set inside another (no SE before it)`;
      inSet = true;
    } else if (s.tag === 'SE') {
      if (!inSet) return `${at} closes no transaction set (no ST before it)`;
      inSet = false;
    } else if (s.tag === 'GE') {
      if (!inGroup) return `${at} closes no functional group (no GS before it)`;
      if (inSet) return `${at} closes the group inside a transaction set (no SE before it)`;
      inGroup = false;
    } else if (s.tag !== 'ISA' && s.tag !== 'IEA' && !inSet) {
      return `${at} is outside a transaction set`;
    }
  }
  return undefined;
}

/** The transaction sets by their ST … SE (or up to the next ST / the end when SE is missing). */
function setsOf(segs: Seg[]): LenientSet[] {
  const sets: LenientSet[] = [];
  let current: LenientSet | undefined;
  for (const s of segs) {
    if (s.tag === 'ST') {
      current = { type: (s.values[0] ?? '').trim(), line: s.line, segments: [] };
      sets.push(current);
    } else if (s.tag === 'SE' || s.tag === 'GE' || s.tag === 'IEA') current = undefined;
    else if (current) current.segments.push(s);
  }
  return sets;
}

export function readLeniently(text: string, lineOffset: number): LenientRead {
  const { segs, sub } = segmentsOf(text, lineOffset);
  const isa = text.split('\n')[0] ?? '';
  const problem =
    firstOutOfPlace(segs) ??
    (isa.length < 106 ? `the ISA segment is ${isa.length} characters long, not 106` : undefined) ??
    'its segments do not form an interchange';
  return { problem, sets: setsOf(segs), subElementDelimiter: sub };
}
