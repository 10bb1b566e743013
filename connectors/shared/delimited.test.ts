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

  it('reports an unclosed quote at the end on its own line and reads the lines after it', () => {
    const recs = parse('a\n"open,1\n2\n');
    expect(recs[1]).toMatchObject({ line: 2, raw: '"open,1' });
    expect(recs[1]!.problem).toMatch(/^stray quote: .*line 2 .*lines 2\.\.3/);
    expect(recs[2]).toEqual({ fields: ['2'], line: 3, raw: '2' });
    expect(parse('a\n"open,1')[1]).toMatchObject({
      line: 2,
      problem: 'a quoted field is never closed',
    });
  });

  it('takes a quote as stray when the record it opens is refused, whatever the chunking', () => {
    const text = 'h1,h2\nx,"stray\ny,2\nz,"ok"\n"multi\nline",3\n';
    const read = (step: number) => {
      const out: Rec[] = [];
      const p = new DelimitedParser(',', (fields, line, raw, problem) =>
        out.push(problem ? { fields, line, raw, problem } : { fields, line, raw }),
      );
      p.accepts = (fields) => fields.length === 2;
      for (let i = 0; i < text.length; i += step) p.push(text.slice(i, i + step));
      p.end();
      return out.map((r) => [r.line, r.problem ? 'stray' : r.fields.join('|')]);
    };
    const expected = [
      [1, 'h1|h2'],
      [2, 'stray'],
      [3, 'y|2'],
      [4, 'z|ok'],
      [5, 'multi\nline|3'],
    ];
    for (const step of [1, 2, 3, 5, 64]) expect(read(step), `step ${step}`).toEqual(expected);
  });

  it('cuts a quoted field at maxRecordLines without waiting for the end of the text', () => {
    const out: Rec[] = [];
    const p = new DelimitedParser(
      ',',
      (fields, line, raw, problem) => out.push({ fields, line, raw, problem }),
      { maxRecordLines: 3 },
    );
    p.push('a,"b\n1\n2\n3\n4\n');
    expect(out[0]).toMatchObject({ line: 1, raw: 'a,"b' });
    expect(out[0]!.problem).toMatch(/not closed within 3 lines/);
    expect(out.slice(1).map((r) => r.raw)).toEqual(['1', '2', '3', '4']);
  });

  it('rejects a line over maxLineChars and one the byte reader dropped, keeping the count', () => {
    const out: Rec[] = [];
    const p = new DelimitedParser(
      ',',
      (fields, line, raw, problem) => out.push({ fields, line, raw, problem }),
      { maxLineChars: 10 },
    );
    p.push('a,b\n0123456789,x\n');
    p.overlong('zzz', 5_000_000);
    p.push('c,d\n');
    p.end();
    expect(out.map((r) => [r.line, r.problem === undefined])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(out[2]!.problem).toMatch(/5000000 bytes long, over the limit of 10 characters/);
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
