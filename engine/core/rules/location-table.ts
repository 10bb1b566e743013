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
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) return { error: `line ${start}: a quoted cell is never closed` };
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    out.push({ line: start, cells });
  }
  return out;
}
