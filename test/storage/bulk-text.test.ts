/**
 * Bulk inserts keep every text exactly, on both engines and by both PostgreSQL paths: a slice of
 * a few rows with large texts (a run's exceptions and their evidence) goes by COPY, whose text
 * format escapes backslashes, tabs and line breaks; small ones go by `unnest`. Updates the same
 * way: with much text, by COPY into a temporary table kept for the transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_COPY_MIN_CHARS,
  PG_COPY_MIN_ROWS,
  bulkInsert,
  bulkUpdateById,
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
      t.text('note');
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

  it('updates large texts by id, slice after slice in one transaction, and nothing else', async () => {
    const big = (t: string, i: number, round: number) =>
      `${round}:${t}|${'u'.repeat(25_000 + i)}|${t}`;
    await db.transaction((trx) =>
      bulkInsert(trx, 'bulk_text', COLUMNS, rowsOf(AWKWARD.concat(AWKWARD), 200)),
    );
    const touched = AWKWARD.length + 3;
    await db.transaction(async (trx) => {
      // two slices of one shape (the temporary table emptied between them): the second leaves
      // out the first row, changed meanwhile, which must keep that change
      await bulkUpdateById(
        trx,
        'bulk_text',
        COLUMNS,
        AWKWARD.map((t, i) => [200 + i, big(t, i, 1)]),
      );
      await trx('bulk_text').where({ id: 200 }).update({ body: 'changed between the slices' });
      await bulkUpdateById(
        trx,
        'bulk_text',
        COLUMNS,
        AWKWARD.map((t, i) => [200 + i, big(t, i, 2)]).slice(1),
      );
      // another shape on the same table: its own temporary table
      const more = [0, 1, 2].map((i) => [
        200 + AWKWARD.length + i,
        `note ${i}\t`,
        big(AWKWARD[i]!, i, 3),
      ]);
      await bulkUpdateById(
        trx,
        'bulk_text',
        [COLUMNS[0]!, { name: 'note', pgType: 'text' }, COLUMNS[1]!],
        more,
      );
    });
    const after = await stored(200, 299);
    expect(after[0]).toBe('changed between the slices');
    expect(after.slice(1, AWKWARD.length)).toEqual(AWKWARD.map((t, i) => big(t, i, 2)).slice(1));
    expect(after.slice(AWKWARD.length, touched)).toEqual(
      [0, 1, 2].map((i) => big(AWKWARD[i]!, i, 3)),
    );
    const notes = (await db('bulk_text')
      .whereBetween('id', [200 + AWKWARD.length, 299])
      .orderBy('id')
      .pluck('note')) as (string | null)[];
    expect(notes.slice(0, 3)).toEqual(['note 0\t', 'note 1\t', 'note 2\t']);
    // rows no update named keep their text
    expect(after.slice(touched)).toEqual(AWKWARD.slice(3));
  });
});
