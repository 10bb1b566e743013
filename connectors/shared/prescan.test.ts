import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuoteTracker } from './prescan.ts';

/** Feeds the bytes in pieces of `step` bytes; returns the offset of a quote left open. */
function openQuote(text: string, step: number): number | undefined {
  const bytes = Buffer.from(text);
  const tracker = new QuoteTracker(','.charCodeAt(0));
  for (let i = 0; i < bytes.length; i += step) tracker.push(bytes.subarray(i, i + step), i);
  return tracker.end();
}

const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', 'é') });
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csv = fc
  .array(fc.array(cell, { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 6 })
  .map((rows) => rows.map((r) => r.map(quote).join(',')).join('\n'));

describe('QuoteTracker', () => {
  it('finds no open quote in any well-formed file, whatever the chunking', () => {
    fc.assert(
      fc.property(csv, fc.integer({ min: 1, max: 7 }), (text, step) => {
        expect(openQuote(text, step)).toBeUndefined();
        expect(openQuote(`${text}\n`, step)).toBeUndefined();
      }),
    );
  });

  it('finds the quote left open when a file ends inside a quoted field', () => {
    fc.assert(
      fc.property(
        csv,
        fc.string({ unit: fc.constantFrom('a', ',', '\n', '""') }),
        fc.integer({ min: 1, max: 7 }),
        (text, tail, step) => {
          const broken = `${text}\n"${tail}`;
          expect(openQuote(broken, step)).toBe(Buffer.byteLength(`${text}\n`));
        },
      ),
    );
  });

  it('treats a quote inside an unquoted field as a literal and one after a BOM as opening', () => {
    expect(openQuote('a,5" pipe\n', 1)).toBeUndefined();
    expect(openQuote('\ufeff"open', 2)).toBe(3);
  });
});
