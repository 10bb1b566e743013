/**
 * A location map or bin list as the customer exports it: CSV (RFC 4180 quoting) or TSV, a
 * header row, one record per line. Each record keeps the line it starts on for problems.
 */
export type TableRecord = { line: number; cells: string[] };
export type Table = { header: string[]; records: TableRecord[] };

/** Splits text into records; a quoted CSV cell may hold the separator, quotes and newlines. */
export function parseTable(text: string, format: 'csv' | 'tsv'): Table | { error: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records = format === 'tsv' ? splitTsv(body) : splitCsv(body);
  if ('error' in records) return records;
  const nonEmpty = records.filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
  const [head, ...rest] = nonEmpty;
  if (!head) return { error: 'the file is empty (a header row is needed)' };
  return { header: head.cells.map((c) => c.trim()), records: rest };
}

function splitTsv(text: string): TableRecord[] {
  return text.split('\n').map((l, i) => ({ line: i + 1, cells: l.replace(/\r$/, '').split('\t') }));
}

function splitCsv(text: string): TableRecord[] | { error: string } {
  const out: TableRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text[i] === '"') {
        // a quoted cell: "" is a quote, and it may run over several lines
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) return { error: `line ${start}: a quoted cell is never closed` };
          value += text.slice(from, q);
          if (text[q + 1] !== '"') {
            i = q + 1;
            break;
          }
          value += '"';
          from = q + 2;
        }
        for (const ch of value) if (ch === '\n') line++;
        const stop = nextStop(text, i);
        cell = value + text.slice(i, stop);
        i = stop;
      } else {
        const stop = nextStop(text, i);
        cell = text.slice(i, stop);
        i = stop;
      }
      cells.push(cell);
      if (text[i] !== ',') break;
      i++;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    out.push({ line: start, cells });
  }
  return out;
}

/** Index of the next comma, line end or end of text from `i`. */
function nextStop(text: string, i: number): number {
  let k = i;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 44 || c === 10 || c === 13) break;
    k++;
  }
  return k;
}
