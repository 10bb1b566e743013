import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedParser } from './delimited.ts';

type Rec = { fields: string[]; line: number; raw: string; problem?: string };

/** Feeds the text in pieces of `step` characters, so every chunk boundary is exercised. */
function parse(text: string, step = text.length || 1, delimiter = ','): Rec[] {
  const out: Rec[] = [];
  const p = new DelimitedParser(delimiter, (fields, line, raw, problem) =>
    out.push(problem ? { fields, line, raw, problem } : { fields, line, raw }),
  );
  for (let i = 0; i < text.length; i += step) p.push(text.slice(i, i + step));
  p.end();
  return out;
}

describe('DelimitedParser', () => {
  it('splits plain lines, CRLF or LF, and skips blank lines', () => {
    expect(parse('a,b\r\n1,2\n\n3,4')).toEqual([
      { fields: ['a', 'b'], line: 1, raw: 'a,b' },
      { fields: ['1', '2'], line: 2, raw: '1,2' },
      { fields: ['3', '4'], line: 4, raw: '3,4' },
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const text = 'h1,h2,h3\r\n"a,b","say ""hi""","line1\r\nline2\nline3"\r\nx,y,z\r\n';
    expect(parse(text)).toEqual([
      { fields: ['h1', 'h2', 'h3'], line: 1, raw: 'h1,h2,h3' },
      {
        fields: ['a,b', 'say "hi"', 'line1\r\nline2\nline3'],
        line: 2,
        raw: '"a,b","say ""hi""","line1\r\nline2\nline3"',
      },
      { fields: ['x', 'y', 'z'], line: 5, raw: 'x,y,z' },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'h1,h2\n"q""x\ny",2\r\n"",""""\n"end","x"\r\nplain,"last"';
    const whole = parse(text);
    for (const step of [1, 2, 3, 5, 7]) expect(parse(text, step), `step ${step}`).toEqual(whole);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5, 6]);
    expect(whole[2]!.fields).toEqual(['', '"']);
  });

  it('flags text after a closing quote as a row problem and carries on', () => {
    const recs = parse('a,b\n"x"y,2\n3,4\n');
    expect(recs[1]).toMatchObject({ line: 2, problem: 'text after a closing quote' });
    expect(recs[2]).toEqual({ fields: ['3', '4'], line: 3, raw: '3,4' });
  });

  it('treats a quote inside an unquoted field as a literal', () => {
    expect(parse('5" pipe,2\n')[0]!.fields).toEqual(['5" pipe', '2']);
  });

  it('reads tabs, keeping commas and empty cells', () => {
    expect(parse('a\tb,c\t\n', undefined, '\t')[0]!.fields).toEqual(['a', 'b,c', '']);
  });

  it('reports an unclosed quote at the end as a problem rather than hanging', () => {
    expect(parse('a\n"open,1\n2\n')[1]).toMatchObject({
      line: 2,
      problem: 'a quoted field is never closed',
    });
  });
});

describe('DelimitedParser on any well-formed table (property)', () => {
  const cell = fc.string({
    unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '\t'),
  });
  const table = fc
    .integer({ min: 1, max: 4 })
    .chain((width) =>
      fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
        minLength: 1,
        maxLength: 8,
      }),
    )
    // a one-column row of one empty cell is a blank line, which readers skip by design
    .filter((rows) => rows.every((r) => r.length > 1 || r[0] !== ''));

  const quote = (v: string) =>
    /[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v;

  it('reads back every cell and the line each record starts on, whatever the chunking', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 9 }), fc.boolean(), (rows, step, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
        const got = parse(text, step);
        expect(got.map((r) => r.fields)).toEqual(rows);
        let line = 1;
        rows.forEach((r, i) => {
          expect(got[i]!.line).toBe(line);
          line += 1 + r.join('').split('\n').length - 1;
        });
      }),
    );
  });
});
