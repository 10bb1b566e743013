/**
 * Explain-to-rule in Slack: after an explanation that holds in general, the suggested rule and
 * its test go into the exception's thread through the outbox, like every other post. The rule
 * itself is the engine's (engine/suggest); this only renders and queues it.
 */
import type { Knex } from 'knex';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { suggestInputFromException, suggestRule } from '../engine/services/suggest/index.ts';
import { loadCard } from './card.ts';
import { channelFor } from './notify.ts';
import { knexOutboxStore } from './outbox/store.ts';
import { messageKey } from './views/exception-message.ts';
import { ruleSuggestionBlocks, ruleSuggestionText } from './views/rule-suggestion.ts';

export type SuggestRuleset = Pick<Ruleset, 'receivers' | 'classification'>;

/**
 * Queues the suggestion in the thread of the exception's message. The outbox key carries the
 * exception's version after the explanation, so a retried submission queues it once. Returns
 * the rule's name, or null when the exception has no channel to post in.
 */
export async function enqueueRuleSuggestion(
  db: Knex,
  ruleset: SuggestRuleset,
  exceptionId: number,
  code: string,
  now = new Date(),
): Promise<string | null> {
  const card = await loadCard(db, exceptionId);
  if (!card) return null;
  const channel = card.slackChannel ?? channelFor(ruleset, card.owner);
  if (!channel) return null;
  const input = await suggestInputFromException(db, exceptionId, code);
  // suggestRule reads only the classification rules (priority, names already taken)
  const suggestion = suggestRule(ruleset as Ruleset, input);
  const key = `exception:${exceptionId}:rule-suggestion:${card.version}`;
  await knexOutboxStore(db).enqueue(
    key,
    {
      kind: 'post',
      channel,
      text: ruleSuggestionText(exceptionId, suggestion),
      blocks: ruleSuggestionBlocks(exceptionId, suggestion),
      metadata: {
        event_type: 'tally_rule_suggestion',
        event_payload: { exception_id: String(exceptionId), outbox_key: key },
      },
      threadOfKey: messageKey(exceptionId),
    },
    now,
  );
  return suggestion.name;
}
