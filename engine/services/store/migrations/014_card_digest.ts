/**
 * `card_digest`: what an exception's Slack message shows that a run sets (state, causes,
 * severity, quantities, value, owner, ruleset…), as a digest written with each save;
 * `card_run_id`: the last run that changed it. A run's messages are queued for the exceptions
 * whose card it changed (and those it moved), so a run that continues an exception without
 * changing any of it queues no update of its message: a daily run over 30,000 unchanged
 * exceptions queued 30,000 `chat.update`s, paced at one a second per channel, ahead of every
 * later message to those channels. Rows stored before this have neither: their next run
 * updates their message once.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exceptions', (t) => {
    t.string('card_digest', 64).nullable();
    t.string('card_run_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exceptions', (t) => {
    t.dropColumn('card_digest');
    t.dropColumn('card_run_id');
  });
}
