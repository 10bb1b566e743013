/**
 * A delimited file read whole into a header and rows, for recognition only (the connectors
 * stream; recognition needs every distinct value of a few columns). Files above the cap are
 * sampled: the first MAX_ROWS rows are looked at, and the caller says so.
 */
import { DelimitedParser } from '../shared/delimited.ts';

export const MAX_ROWS = 200_000;

export type Table = {
  header: string[];
  rows: string[][];
  delimiter: ',' | '\t' | ';' | '|';
  /** The line of the header (1 unless a report's title lines come first: preambleLines). */
  headerLine: number;
  /** True when the file had more rows than were looked at. */
  sampled: boolean;
  /** 1 when the file's last line is a report's total (footerTotal), not a row: left out of rows. */
  footerLines?: 1;
};

/**
 * `text` is the file, or its first lines when `tail` (its last bytes) is given: the table is
 * then a sample, and its footer is looked for in the tail.
 */
export function parseTable(text: string, tail?: string): Table {
  const bom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // lines ended by a carriage return alone (Excel for Mac's "CSV (Macintosh)"), as the reader takes them
  const body = !bom.includes('\n') && bom.includes('\r') ? bom.replaceAll('\r', '\n') : bom;
  // the character that splits a line of the first ones into the most names (Excel writes ; in
  // most of Europe); the first lines, as a report's title may come before the header
  const head = body.split('\n', PREAMBLE_MAX + 1);
  const count = (d: string) => Math.max(...head.map((line) => line.split(d).length));
  const delimiter = (['\t', ';', '|'] as const).reduce<Table['delimiter']>(
    (best, d) => (count(d) > count(best) ? d : best),
    ',',
  );
  const records: string[][] = [];
  const lines: number[] = [];
  let sampled = false;
  const parser = new DelimitedParser(delimiter, (fields, line) => {
    if (records.length > MAX_ROWS) sampled = true;
    else {
      records.push(fields.map((f) => f.trim()));
      lines.push(line);
    }
  });
  // the title lines are not records, as the reader passes them over (headerLine)
  parser.recordsFrom = headerLineOf(head, delimiter);
  parser.push(body);
  parser.end();
  const [header = [], ...rows] = records;
  const table: Table = {
    header,
    rows,
    delimiter,
    headerLine: lines[0] ?? 1,
    sampled: sampled || tail !== undefined,
  };
  if (rows.length > 0 && footerTotal(tail ?? body, delimiter, header.length)) {
    table.footerLines = 1;
    if (!table.sampled) rows.pop();
  }
  return table;
}

/** The words a report's total line starts with, folded (lowercase, no accents). */
const TOTAL =
  /^(total|totals|grand total|sum|summe|gesamt|gesamtsumme|endsumme|total general|totale|totaal|somme)\b/;

/**
 * Whether the file's last line with content is a report's total (`Total;;;1.270`, `Summe`):
 * its first cell with text is a total word, and some of its cells are empty (a last row whose
 * sku is TOTAL-CLEAN-500 fills them all). Split alone, as the title lines are.
 */
function footerTotal(body: string, delimiter: string, width: number): boolean {
  const end = body.trimEnd();
  const filled = fieldsOfLine(end.slice(end.lastIndexOf('\n') + 1), delimiter)
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const first = filled[0];
  if (first === undefined || filled.length >= width) return false;
  return TOTAL.test(
    first
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase(),
  );
}

/** Title lines looked for above a header, at most. */
const PREAMBLE_MAX = 20;

/**
 * The line of the header below what a report export writes above it: its title, its date,
 * blank lines, each with two non-empty fields or fewer, before a line of three or more. Each
 * line is split alone, so a quote a title leaves open cannot take the lines below. 1 when no
 * such line follows them.
 */
function headerLineOf(head: readonly string[], delimiter: string): number {
  for (let i = 0; i < Math.min(head.length, PREAMBLE_MAX); i++)
    if (fieldsOfLine(head[i]!, delimiter).filter((f) => f.trim() !== '').length >= 3) return i + 1;
  return 1;
}

/** One line's fields, split alone (a quote it leaves open takes no line after it). */
function fieldsOfLine(line: string, delimiter: string): string[] {
  let fields: string[] = [];
  const one = new DelimitedParser(delimiter, (f) => (fields = f));
  one.push(line);
  one.end();
  return fields;
}

/** A header name compared: lowercase, accents and punctuation dropped (`Quantité` is `quantite`). */
const norm = (s: string) =>
  s
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Column accessor by header name (case-, accent- and punctuation-insensitive), or undefined. */
export function column(t: Table, ...names: string[]): ((row: string[]) => string) | undefined {
  for (const name of names) {
    const i = t.header.findIndex((h) => norm(h) === norm(name));
    if (i >= 0) return (row) => row[i] ?? '';
  }
  return undefined;
}

export function headerOf(t: Table, ...names: string[]): string | undefined {
  for (const name of names) {
    const h = t.header.find((x) => norm(x) === norm(name));
    if (h !== undefined) return h;
  }
  return undefined;
}

export function distinct(t: Table, get: ((row: string[]) => string) | undefined): string[] {
  if (!get) return [];
  return [...new Set(t.rows.map(get).filter((v) => v !== ''))].sort();
}
