/**
 * Renders the exception messages the outbox names (see Rendering in outbox/types.ts) when the
 * worker sends them: the card and its evidence thread as the exception stands then. A run queues
 * a row per message in its transaction; writing every card there cost more than the rest of the
 * save (1M keys: 60,000 messages, ~100 MB, 4.7 s) for messages Slack takes one a second.
 */
import type { Knex } from 'knex';
import { loadCard, type ExceptionCard } from './card.ts';
import { copyKey, evidenceKey, type Routing } from './notify.ts';
import type { Body, Rendering } from './outbox/types.ts';
import { evidenceBlocks } from './views/evidence.ts';
import { exceptionMessage, messageKey } from './views/exception-message.ts';

/** The body of one rendering of `card`, for the receivers and rules in `ruleset`. */
export function renderPart(
  ruleset: Routing,
  card: ExceptionCard,
  rendering: Rendering,
  now: Date,
): Body {
  if (rendering.part === 'evidence') {
    return {
      text: `Evidence for exception ${card.id}`,
      blocks: evidenceBlocks(card, ruleset.classification?.rules ?? []),
      metadata: {
        event_type: 'tally_evidence',
        event_payload: { exception_id: String(card.id), outbox_key: evidenceKey(card.id) },
      },
    };
  }
  const { receiver } = rendering;
  return exceptionMessage(card, now, {
    group: ruleset.receivers.get(receiver ?? card.owner)?.ownerGroup,
    outboxKey: receiver ? copyKey(card.id, receiver) : messageKey(card.id),
  });
}

/** The outbox worker's `render`: reads the exception and renders the part a row names. */
export function outboxRenderer(db: Knex, ruleset: () => Routing) {
  return async (rendering: Rendering, now: Date): Promise<Body | null> => {
    const card = await loadCard(db, rendering.exceptionId);
    return card ? renderPart(ruleset(), card, rendering, now) : null;
  };
}
