/** Writes a data file line by line through one buffered stream. */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type LineFile = { line(text: string): void; close(): Promise<void>; rows: number };

/** Lines are batched into large chunks: one write per ~1 MB instead of one per row. */
export function openLines(dir: string, path: string, header?: string): LineFile {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  const stream = createWriteStream(full);
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    stream.write(chunk.join(''));
    chunk = [];
    size = 0;
  };
  const file: LineFile = {
    rows: 0,
    line(text) {
      chunk.push(text, '\n');
      size += text.length + 1;
      file.rows++;
      if (size > 1 << 20) flush();
    },
    close: () =>
      new Promise((resolve, reject) => {
        flush();
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      }),
  };
  if (header !== undefined) {
    chunk.push(header, '\n');
    size += header.length + 1;
  }
  return file;
}

export const csvRow = (cells: (string | number)[], sep = ',') => cells.join(sep);
export const jsonRow = (value: unknown) => JSON.stringify(value);
