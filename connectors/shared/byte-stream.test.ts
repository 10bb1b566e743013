import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, forEachText } from './byte-stream.ts';
import { prescanFile } from './prescan.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-bytes-'));

/** Lines of multi-byte text, about `chunks` chunks long, so characters and lines straddle. */
function text(chunks: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < chunks * CHUNK_BYTES; i++) {
    const line = `${i},Grüße ☃ ${'é'.repeat(i % 97)},${'x'.repeat(i % 1013)}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return lines.join('\n');
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function decode(path: string): Promise<string> {
  let out = '';
  await forEachText(path, path, { push: (t) => (out += t), end: () => {} });
  return out;
}

describe('forEachText', () => {
  it('decodes a multi-chunk file exactly, whatever straddles the chunk ends', async () => {
    const content = text(3.5);
    expect(await decode(write('multi.csv', content))).toBe(content);
  });

  it('keeps a long line with no line feed across several chunks, and drops a BOM', async () => {
    const content = `h\n${'ü'.repeat(CHUNK_BYTES * 1.5)}\nlast`;
    expect(await decode(write('long.csv', `\uFEFF${content}`))).toBe(content);
  });

  it('hands text on in pieces cut at line feeds, ASCII and not', async () => {
    const ascii = Array.from({ length: 40_000 }, (_, i) => `${i},${'x'.repeat(i % 70)}`);
    const content = [...ascii, 'y'.repeat(200_000), text(1.2), ...ascii].join('\n');
    const pieces: string[] = [];
    await forEachText(write('pieces.csv', content), 'pieces.csv', {
      push: (t) => pieces.push(t),
      end: () => {},
    });
    expect(pieces.join('')).toBe(content);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith('\n')).toBe(true);
    // small pieces, but for the one holding the 200,000-byte line
    expect(pieces.filter((p) => p.length > 1 << 16)).toHaveLength(1);
    expect(pieces.length).toBeGreaterThan(content.length / (1 << 16));
  });
});

describe('prescanFile UTF-8 check', () => {
  it('names the line of a bad byte in a later chunk', async () => {
    const lines = text(2.5).split('\n');
    const bad = Math.floor(lines.length * 0.7);
    const bytes = Buffer.concat(
      lines.map((l, i) =>
        Buffer.concat([
          Buffer.from(l),
          i === bad ? Buffer.from([0xff]) : Buffer.alloc(0),
          Buffer.from('\n'),
        ]),
      ),
    );
    const path = write('bad.csv', bytes);
    await expect(prescanFile(path, 'bad.csv')).rejects.toMatchObject({
      code: 'FILE_NOT_UTF8',
      where: { line: bad + 1 },
    });
  });

  it('hashes a good multi-chunk file like a whole-file sha256', async () => {
    const { createHash } = await import('node:crypto');
    const content = text(2.2);
    const result = await prescanFile(write('good.csv', content), 'good.csv');
    expect(result.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(result.lines).toBe(content.split('\n').length);
  });

  it('counts a last line without a line feed', async () => {
    expect((await prescanFile(write('a.csv', 'h\n1\n2'), 'a.csv')).lines).toBe(3);
    expect((await prescanFile(write('b.csv', 'h\n1\n'), 'b.csv')).lines).toBe(2);
    expect((await prescanFile(write('c.csv', ''), 'c.csv')).lines).toBe(0);
  });
});
