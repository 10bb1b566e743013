/** A new SQLite database is made with large pages; one made before keeps its own and works. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_PAGE_BYTES, openDb } from '../../engine/services/store/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite pages', () => {
  it('makes a new database with 16 KiB pages, in WAL mode', async () => {
    const db = await openDb({ url: join(dir, 'new.db') });
    try {
      expect(SQLITE_PAGE_BYTES).toBe(16_384);
      expect((await db.raw('pragma page_size'))[0].page_size).toBe(SQLITE_PAGE_BYTES);
      expect((await db.raw('pragma journal_mode'))[0].journal_mode).toBe('wal');
    } finally {
      await db.destroy();
    }
  });

  it('opens and migrates a database made with 4 KiB pages, which keeps them', async () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('create table kept (id integer primary key)');
    old.close();
    const db = await openDb({ url: file });
    try {
      expect((await db.raw('pragma page_size'))[0].page_size).toBe(4096);
      expect(await db('runs').count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await db.destroy();
    }
  });
});
