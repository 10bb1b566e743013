/**
 * Real-time intake and delivery across replicas:
 * - `outbox_channels`: one row per Slack channel; the replica holding a channel's lease is the
 *   only one sending to it, and `next_send_at` paces it to one message per second whatever the
 *   number of workers.
 * - `inbound_events`: every event or position received on the event endpoint, raw, so a
 *   restarted `tally serve` rebuilds the same live ledger (idempotent on source + id + kind).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox_channels', (t) => {
    t.string('channel', 100).primary();
    t.string('holder', 100);
    t.string('lease_until', 30).notNullable();
    t.string('next_send_at', 30).notNullable();
  });
  await knex.schema.createTable('inbound_events', (t) => {
    t.bigIncrements('id');
    t.string('source', 100).notNullable();
    t.string('kind', 20).notNullable();
    t.string('external_id', 300).notNullable();
    t.text('payload').notNullable();
    t.string('received_at', 30).notNullable();
    t.unique(['source', 'kind', 'external_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('inbound_events');
  await knex.schema.dropTableIfExists('outbox_channels');
}
