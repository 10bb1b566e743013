/**
 * Interchange → transaction sets, with the envelope checked: ISA13 = IEA02, IEA01 = number of
 * groups, GS06 = GE02, GE01 = number of sets, ST02 = SE02, SE01 = number of segments.
 * Tokenizing is node-x12's job; this file only splits a file holding several interchanges
 * (node-x12's lenient mode merges them) and checks what the parser reports.
 */
import { X12Parser } from 'node-x12';
import type { X12Interchange, X12Segment } from 'node-x12';
import type { Seg } from './segments.ts';
import { readLeniently, type LenientRead } from './lenient.ts';

export type TransactionSet = {
  type: string;
  control: string;
  /** 1-based line of the ST segment in the file. */
  line: number;
  segments: Seg[];
  raw: string;
  /** Envelope problems that reject this set (its own, its group's or its interchange's). */
  problems: string[];
  interchangeControl: string;
  subElementDelimiter: string;
};

export type FileProblem = {
  line: number;
  reason: string;
  raw: string;
  /** An interchange read leniently after node-x12 gave up on it: the sets it holds. */
  lenient?: LenientRead & { interchangeControl: string };
};

type Chunk = { text: string; lineOffset: number };

function splitInterchanges(text: string): Chunk[] | FileProblem {
  const start = text.search(/\S/);
  if (start < 0 || !text.startsWith('ISA', start))
    return {
      line: 1,
      reason: 'not an X12 interchange: the file must start with an ISA segment',
      raw: text.slice(0, 120),
    };
  const delimiter = text.charAt(start + 3);
  const terminator = text.charAt(start + 105);
  const starts = [start];
  for (let i = text.indexOf(terminator, start); i >= 0; i = text.indexOf(terminator, i + 1)) {
    const next = text.slice(i + 1).search(/\S/);
    if (next >= 0 && text.startsWith(`ISA${delimiter}`, i + 1 + next)) starts.push(i + 1 + next);
  }
  return starts.map((s, k) => ({
    text: text.slice(s, starts[k + 1] ?? text.length),
    lineOffset: countLines(text, s),
  }));
}

function countLines(text: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const toSeg = (s: X12Segment, offset: number): Seg => ({
  tag: s.tag,
  values: s.elements.map((e) => e.value),
  line: (s.range?.start?.line ?? 0) + offset + 1,
});

export function readEnvelopes(text: string): { sets: TransactionSet[]; problems: FileProblem[] } {
  const chunks = splitInterchanges(text);
  if (!Array.isArray(chunks)) return { sets: [], problems: [chunks] };
  const sets: TransactionSet[] = [];
  const problems: FileProblem[] = [];
  for (const chunk of chunks) {
    const parser = new X12Parser(false);
    let ic: X12Interchange;
    try {
      ic = parser.parse(chunk.text) as X12Interchange;
    } catch {
      const lenient = readLeniently(chunk.text, chunk.lineOffset);
      const interchangeControl = (chunk.text.split(chunk.text.charAt(3))[13] ?? '').trim();
      problems.push({
        line: chunk.lineOffset + 1,
        reason: `interchange could not be read: ${lenient.problem}`,
        raw: chunk.text.slice(0, 200),
        lenient: { ...lenient, interchangeControl },
      });
      continue;
    }
    const structural = parser.diagnostics
      .filter((d) => /outside of|ISA segment is not the correct length|Missing/.test(d.message))
      .map(
        (d) =>
          `${d.message.replace(/^X12 Standard: /, '')} (line ${d.range.start.line + chunk.lineOffset + 1})`,
      );
    sets.push(...interchangeSets(ic, chunk, structural));
  }
  return { sets, problems };
}

function interchangeSets(ic: X12Interchange, chunk: Chunk, structural: string[]): TransactionSet[] {
  const isa13 = ic.header?.elements[12]?.value.trim() ?? '';
  const icProblems = [...structural];
  if (!/^\d+$/.test(isa13) || isa13 === 'NaN')
    icProblems.push('ISA13 interchange control number is not numeric');
  if (!ic.trailer) icProblems.push('missing IEA interchange trailer');
  else {
    if (ic.trailer.valueOf(2)?.trim() !== isa13)
      icProblems.push(
        `IEA02 control number ${ic.trailer.valueOf(2)} does not match ISA13 ${isa13}`,
      );
    if (Number(ic.trailer.valueOf(1)) !== ic.functionalGroups.length)
      icProblems.push(
        `IEA01 says ${ic.trailer.valueOf(1)} functional groups, the interchange has ${ic.functionalGroups.length}`,
      );
  }
  const sub = ic.header?.elements[15]?.value.trim() || '>';
  const delimiter = ic.elementDelimiter || '*';
  const out: TransactionSet[] = [];
  for (const group of ic.functionalGroups) {
    const gs06 = group.header.valueOf(6)?.trim();
    const gProblems: string[] = [];
    if (!group.trailer) gProblems.push(`missing GE trailer for group ${gs06}`);
    else {
      if (group.trailer.valueOf(2)?.trim() !== gs06)
        gProblems.push(
          `GE02 control number ${group.trailer.valueOf(2)} does not match GS06 ${gs06}`,
        );
      if (Number(group.trailer.valueOf(1)) !== group.transactions.length)
        gProblems.push(
          `GE01 says ${group.trailer.valueOf(1)} transaction sets, group ${gs06} has ${group.transactions.length}`,
        );
    }
    for (const tx of group.transactions) {
      const st02 = tx.header.valueOf(2)?.trim() ?? '';
      const own: string[] = [];
      if (!tx.trailer) own.push(`missing SE trailer for transaction set ${st02}`);
      else {
        const counted = tx.segments.length + 2;
        if (Number(tx.trailer.valueOf(1)) !== counted)
          own.push(
            `SE01 says ${tx.trailer.valueOf(1)} segments, transaction set ${st02} has ${counted}`,
          );
        if (tx.trailer.valueOf(2)?.trim() !== st02)
          own.push(`SE02 control number ${tx.trailer.valueOf(2)} does not match ST02 ${st02}`);
      }
      const all = [tx.header, ...tx.segments, ...(tx.trailer ? [tx.trailer] : [])];
      out.push({
        type: tx.header.valueOf(1)?.trim() ?? '',
        control: st02,
        line: toSeg(tx.header, chunk.lineOffset).line,
        segments: tx.segments.map((s) => toSeg(s, chunk.lineOffset)),
        raw: all.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join(delimiter)).join('~\n'),
        problems: [...icProblems, ...gProblems, ...own],
        interchangeControl: isa13,
        subElementDelimiter: sub,
      });
    }
  }
  if (out.length === 0 && icProblems.length > 0)
    out.push({
      type: '',
      control: '',
      line: chunk.lineOffset + 1,
      segments: [],
      raw: chunk.text.slice(0, 200),
      problems: icProblems,
      interchangeControl: isa13,
      subElementDelimiter: sub,
    });
  return out;
}
