/**
 * Bulk inserts keep every text exactly, on both engines and by both PostgreSQL paths: a slice of
 * a few rows with large texts (a run's exceptions and their evidence) goes by COPY, whose text
 * format escapes backslashes, tabs and line breaks; small ones go by `unnest`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_COPY_MIN_CHARS,
  PG_COPY_MIN_ROWS,
  bulkInsert,
  pgLoadsByCopy,
  type Cell,
} from '../../engine/services/store/bulk.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { testDatabases } from '../support/databases.ts';

const COLUMNS = [
  { name: 'id', pgType: 'int' as const },
  { name: 'body', pgType: 'text' as const },
];

/** Texts COPY's text format must escape or could misread, and some it must leave alone. */
const AWKWARD = [
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'carriage\rreturn',
  '\\N',
  '"quoted" and \'single\'',
  'naïve café — 10 € · 数量',
  '',
  '{"history":[{"sourceEventId":"W8-2","reference":"PO-8\\\\x"}]}',
];

const rowsOf = (texts: (string | null)[], from = 0): Cell[][] =>
  texts.map((text, i) => [from + i, text]);

describe('which PostgreSQL path a load takes', () => {
  it('COPY for many rows, or for a few with much text; unnest for a few small ones', () => {
    const small = rowsOf(['a', 'b']);
    expect(pgLoadsByCopy(small, 'insert')).toBe(false);
    const large = rowsOf(['x'.repeat(PG_COPY_MIN_CHARS / 2), 'y'.repeat(PG_COPY_MIN_CHARS / 2)]);
    expect(pgLoadsByCopy(large, 'insert')).toBe(true);
    expect(
      pgLoadsByCopy(rowsOf(Array.from({ length: PG_COPY_MIN_ROWS }, () => 'z')), 'insert'),
    ).toBe(true);
    // COPY cannot skip rows already there: an INSERT … ON CONFLICT DO NOTHING stays
    expect(pgLoadsByCopy(large, 'ignore')).toBe(false);
  });
});

describe.each(testDatabases())('bulk inserts of text on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
    await db.schema.createTable('bulk_text', (t) => {
      t.integer('id').primary();
      t.text('body');
    });
  });
  afterAll(() => engine.close());

  const stored = async (from: number, to: number) =>
    (
      (await db('bulk_text').whereBetween('id', [from, to]).orderBy('id').select('body')) as {
        body: string | null;
      }[]
    ).map((r) => r.body);

  it('keeps every text of a few small rows', async () => {
    const texts = [...AWKWARD, null];
    await db.transaction((trx) => bulkInsert(trx, 'bulk_text', COLUMNS, rowsOf(texts, 0)));
    expect(await stored(0, 99)).toEqual(texts);
  });

  it('keeps every text of a few rows with large texts', async () => {
    // each awkward text inside a large one, as evidence carries references and file names
    const texts: (string | null)[] = AWKWARD.map((t, i) => `${t}|${'e'.repeat(20_000 + i)}|${t}`);
    texts.push(null);
    const rows = rowsOf(texts, 100);
    expect(pgLoadsByCopy(rows, 'insert')).toBe(true);
    const inserted = await db.transaction((trx) => bulkInsert(trx, 'bulk_text', COLUMNS, rows));
    expect(inserted).toBe(texts.length);
    expect(await stored(100, 199)).toEqual(texts);
  });
});
