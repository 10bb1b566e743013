/**
 * - `request_signatures`: every Slack request signature accepted in the last five minutes, so a
 *   captured request is refused when replayed, on whichever replica it arrives.
 * - `audit_log.scheme`: how an entry's hash was made. 1 = sha256 chain (entries written before
 *   this migration, or without TALLY_AUDIT_KEY); 2 = HMAC-SHA256 with TALLY_AUDIT_KEY, which
 *   lives outside the database, so the chain cannot be recomputed by someone who can edit rows.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('request_signatures', (t) => {
    t.string('signature', 100).primary();
    t.bigInteger('expires_at_ms').notNullable().index();
  });
  await knex.schema.alterTable('audit_log', (t) => {
    t.integer('scheme').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropColumn('scheme');
  });
  await knex.schema.dropTableIfExists('request_signatures');
}
