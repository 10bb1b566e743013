/** SQLite bulk inserts: slices of one shape share their prepared statements; rows all land. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkInsert, rawConnection, sqliteInsertNew } from '../../engine/services/store/bulk.ts';
import { openDb } from '../../engine/services/store/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = [
  { name: 'k', pgType: 'text' as const },
  { name: 'v', pgType: 'int' as const },
];

/** Runs `work` in a transaction whose connection reports each statement it prepares. */
async function watchingPrepares(
  db: Awaited<ReturnType<typeof openDb>>,
  onPrepare: (sql: string) => void,
  work: (trx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<void>,
): Promise<void> {
  await db.transaction(async (trx) => {
    const conn = await rawConnection<Database>(trx);
    const prepare = conn.prepare.bind(conn);
    conn.prepare = ((sql: string) => (onPrepare(sql), prepare(sql))) as typeof conn.prepare;
    try {
      await work(trx);
    } finally {
      conn.prepare = prepare;
    }
  });
}

describe('SQLite bulk statements', () => {
  it('prepares each statement shape once per connection, and every row lands', async () => {
    const db = await openDb({ url: join(dir, 'bulk.db') });
    try {
      await db.schema.createTable('t', (t) => {
        t.text('k').primary();
        t.integer('v');
      });
      let prepares = 0;
      const inserted: string[] = [];
      const fresh: string[] = [];
      await watchingPrepares(
        db,
        () => prepares++,
        async (trx) => {
          // ten slices of 250 rows: a 200-row and a 50-row statement, prepared once each
          for (let s = 0; s < 10; s++) {
            const rows = Array.from({ length: 250 }, (_, i) => [`a${s * 250 + i}`, i]);
            await bulkInsert(trx, 't', COLUMNS, rows);
          }
          expect(prepares).toBe(2);
          for (let s = 0; s < 3; s++) {
            const keys = Array.from({ length: 250 }, (_, i) => `a${2400 + s * 50 + i}`);
            const fresh = await sqliteInsertNew(
              trx,
              't',
              COLUMNS,
              keys.length,
              (i, params, at) => {
                params[at] = keys[i]!;
                params[at + 1] = -1;
              },
              'k',
            );
            inserted.push(...fresh);
          }
          // the two insert shapes again, and once the read-back of what a statement that
          // skipped some rows inserted
          expect(prepares).toBe(5);
          // keys none of which is stored: every key is inserted, none read back
          const keys = Array.from({ length: 200 }, (_, i) => `b${i}`);
          const fill: Parameters<typeof sqliteInsertNew>[4] = (i, params, at) => {
            params[at] = keys[i]!;
            params[at + 1] = 1;
          };
          fresh.push(...(await sqliteInsertNew(trx, 't', COLUMNS, keys.length, fill, 'k')));
          expect(prepares).toBe(5);
        },
      );
      // a2400..a2499 existed; the three overlapping slices add a2500..a2749 once each
      expect(inserted).toHaveLength(250);
      expect([...inserted].sort()).toEqual(
        Array.from({ length: 250 }, (_, i) => `a${2500 + i}`).sort(),
      );
      expect(fresh.sort()).toEqual(Array.from({ length: 200 }, (_, i) => `b${i}`).sort());
      expect(await db('t').count({ n: '*' })).toEqual([{ n: 2950 }]);
    } finally {
      await db.destroy();
    }
  });

  it('inserts wide rows one a statement and narrow ones many at a time, every row landing', async () => {
    const db = await openDb({ url: join(dir, 'wide.db') });
    try {
      await db.schema.createTable('t', (t) => {
        t.text('k').primary();
        t.integer('v');
      });
      const tuples: number[] = [];
      await watchingPrepares(
        db,
        (sql) => tuples.push(sql.split('(?, ?)').length - 1),
        async (trx) => {
          const wide = Array.from({ length: 5 }, (_, i) => [`${i}:${'w'.repeat(3000)}`, i]);
          await bulkInsert(trx, 't', COLUMNS, wide);
          const narrow = Array.from({ length: 300 }, (_, i) => [`n${i}`, i]);
          await bulkInsert(trx, 't', COLUMNS, narrow);
        },
      );
      // wide: one 1-row statement for all five; narrow: a 200-row one and a 100-row one
      expect(tuples).toEqual([1, 200, 100]);
      expect(await db('t').count({ n: '*' })).toEqual([{ n: 305 }]);
      const row = (await db('t').where('k', 'like', '4:%').first('k')) as { k: string };
      expect(row.k).toBe(`4:${'w'.repeat(3000)}`);
    } finally {
      await db.destroy();
    }
  });
});
