/**
 * A database lost in the middle of work is an outside failure (exit 3), not a defect (exit 4):
 * a PostgreSQL backend terminated mid-query, a refused connection, a busy SQLite file.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { databaseFailure, openDb } from '../../engine/services/store/db.ts';
import { reportError, EXIT } from '../../cli/errors.ts';

const url = process.env.TEST_DATABASE_URL;

describe('losing the database', () => {
  it.runIf(url || process.env.TALLY_REQUIRE_PG === '1')(
    'classifies a PostgreSQL backend terminated mid-query as the database failing',
    async () => {
      const db = await openDb({ url: url!, migrate: false, poolMax: 1 });
      const admin = knex({ client: 'pg', connection: url!, pool: { min: 0, max: 1 } });
      try {
        const pid = Number((await db.raw('select pg_backend_pid() as pid')).rows[0].pid);
        const slow = db.raw('select pg_sleep(5)').then(
          () => null,
          (e: unknown) => e,
        );
        await new Promise((r) => setTimeout(r, 300));
        await admin.raw('select pg_terminate_backend(?)', [pid]);
        const error = await slow;
        expect(databaseFailure(error)).toMatchObject({ code: 'DB_UNAVAILABLE' });
        expect(reportError(error, false)).toBe(EXIT.external);
      } finally {
        await admin.destroy();
        await db.destroy().catch(() => undefined);
      }
    },
  );

  it('classifies a refused connection and leaves other errors to be defects', async () => {
    const refused = await knex({ client: 'pg', connection: 'postgres://u@127.0.0.1:1/x' })
      .raw('select 1')
      .catch((e: unknown) => e);
    expect(databaseFailure(refused)).not.toBeNull();
    expect(databaseFailure(new TypeError('x is undefined'))).toBeNull();
    expect(reportError(new TypeError('x is undefined'), false)).toBe(EXIT.defect);
  });
});
