/**
 * The write-back's answer as a column of its correction (until now only inside
 * `execution_result`), so that proposing can count the corrections closed without effect on an
 * exception (rejected, or stale / failed at the system of record) in one query on both engines.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('corrections', (t) => {
    t.string('writeback_status', 20);
  });
  const rows = (await knex('corrections')
    .whereNotNull('execution_result')
    .select('id', 'execution_result')) as { id: number; execution_result: string }[];
  for (const r of rows) {
    const status = (JSON.parse(r.execution_result) as { writeback?: unknown }).writeback;
    if (typeof status === 'string')
      await knex('corrections').where({ id: r.id }).update({ writeback_status: status });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('corrections', (t) => {
    t.dropColumn('writeback_status');
  });
}
