/**
 * Message buttons. Each handler acks first (Slack wants it within 3 s), then checks the
 * clicking user's role, calls the engine, and lets the outbox update the message.
 * Unauthorized clicks get an ephemeral explanation and change nothing.
 */
import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import {
  type Actor,
  approveAndApply,
  hasRole,
  rejectCorrection,
  loadCorrection,
} from '../../../engine/services/corrections/index.ts';
import { assign } from '../../../engine/services/exceptions/transition.ts';
import { TallyError } from '../../../engine/core/errors.ts';
import { loadCard, type ExceptionCard } from '../../card.ts';
import { auditDenied, logError, type BotContext } from '../../context.ts';
import { notifyException } from '../../notify.ts';
import { ACTION, exceptionIdFromBlock } from '../../views/exception-message.ts';
import { explainModal, proposeModal } from '../../views/modals.ts';

type Respond = (m: {
  response_type: 'ephemeral';
  replace_original: false;
  text: string;
}) => Promise<unknown>;

const tell = (respond: Respond, text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

export function register(app: App, ctx: BotContext): void {
  app.action<BlockAction<UsersSelectAction>>(
    ACTION.assign,
    async ({ ack, body, action, respond }) => {
      await ack();
      const id = exceptionIdFromBlock(action.block_id);
      try {
        const found = await resolverCard(
          ctx,
          respond,
          body.user.id,
          id,
          'assign',
          'assign this exception',
        );
        if (!found) return;
        const { card, actor } = found;
        // a double click selects the same person again: nothing to do
        if (card.assignee === action.selected_user) return;
        await assign(ctx.db, id, { actor: actor.id, assignee: action.selected_user });
        await notifyException(ctx.db, ctx.ruleset, id);
      } catch (error) {
        await explainFailure(ctx, respond, 'assign', error);
      }
    },
  );

  for (const [actionId, open] of [
    [ACTION.explain, explainModal],
    [ACTION.propose, proposeModal],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ ack, body, action, respond, client }) => {
        await ack();
        try {
          const id = Number(action.value);
          const found = await resolverCard(ctx, respond, body.user.id, id, actionId);
          if (!found) return;
          await client.views.open({ trigger_id: body.trigger_id, view: open(found.card) as never });
        } catch (error) {
          await explainFailure(ctx, respond, actionId, error);
        }
      },
    );
  }

  onCorrection(app, ctx, ACTION.approve, 'approve', async (input, respond) => {
    const result = await approveAndApply(ctx.db, ctx.ruleset.roles as never, input);
    const c = result.decision.correction;
    if (result.decision.status === 'already_approved') {
      await tell(respond, `You already approved correction ${c.id}.`);
      return undefined;
    }
    if (result.decision.status === 'already_decided') {
      await tell(respond, decidedAlready(c));
      return c.exceptionId;
    }
    if (result.decision.status === 'recorded')
      await tell(respond, `Approval recorded; correction ${c.id} needs one more approver.`);
    // dated inside a closed period: booked in the next open one, and the approver is told
    if (result.applied?.notice)
      await tell(respond, `Applied, not where dated: ${result.applied.notice}`);
    return c.exceptionId;
  });
  onCorrection(app, ctx, ACTION.reject, 'reject', async (input, respond) => {
    const decision = await rejectCorrection(ctx.db, ctx.ruleset.roles as never, input);
    if (decision.status === 'already_decided')
      await tell(respond, decidedAlready(decision.correction));
    return decision.correction.exceptionId;
  });
}

type CorrectionInput = { correctionId: number; actor: Actor };

/** A click on a correction someone already decided (the message was behind). */
function decidedAlready(c: { id: number; state: string }): string {
  return `Correction ${c.id} is already ${c.state.replace(/_/g, ' ')}; nothing was changed. The message now shows where it stands.`;
}

/** A button on a correction: `decide` returns the exception whose message to refresh, if any. */
function onCorrection(
  app: App,
  ctx: BotContext,
  actionId: string,
  label: string,
  decide: (input: CorrectionInput, respond: Respond) => Promise<number | undefined>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const actor = await ctx.actors.resolve(body.user.id);
      const exceptionId = await decide({ correctionId: Number(action.value), actor }, respond);
      if (exceptionId !== undefined) await notifyException(ctx.db, ctx.ruleset, exceptionId);
    } catch (error) {
      await explainFailure(ctx, respond, label, error, body.user.id, action.value);
    }
  });
}

/** The exception and the clicking person, when they hold the resolver role where it is. */
async function resolverCard(
  ctx: BotContext,
  respond: Respond,
  userId: string,
  exceptionId: number,
  action: string,
  doing = 'do this',
) {
  const card = await loadCard(ctx.db, exceptionId);
  if (!card) return void (await tell(respond, `Exception ${exceptionId} no longer exists.`));
  const actor = await ctx.actors.resolve(userId);
  const stale = staleClick(card, action);
  if (stale) {
    await tell(respond, `${stale} Nothing was changed; the message now shows where it stands.`);
    await notifyException(ctx.db, ctx.ruleset, card.id);
    return undefined;
  }
  if (hasRole(ctx.ruleset.roles, actor, card.location, 'resolver')) return { card, actor };
  await auditDenied(ctx, actor.id, action, String(exceptionId), 'no resolver role');
  await tell(
    respond,
    `You need the resolver role for ${card.location} to ${doing}. Nothing was changed.`,
  );
  return undefined;
}

/** Why a click came from a message that is behind the exception, or null. */
function staleClick(card: ExceptionCard, action: string): string | null {
  if (card.state === 'resolved')
    return `Exception ${card.id} is resolved: ${card.sku} at ${card.location} agrees again.`;
  const k = card.correction;
  if (action === ACTION.propose && k && (k.state === 'proposed' || k.state === 'approved'))
    return `Correction ${k.id} is already ${k.state} for exception ${card.id}.`;
  return null;
}

/** Engine refusals (roles, separation of duties, state) become an ephemeral explanation. */
async function explainFailure(
  ctx: BotContext,
  respond: Respond,
  action: string,
  error: unknown,
  userId?: string,
  correctionId?: string,
): Promise<void> {
  if (error instanceof TallyError) {
    if (userId && correctionId) {
      const c = await loadCorrection(ctx.db, Number(correctionId)).catch(() => null);
      await auditDenied(
        ctx,
        userId,
        action,
        String(c?.exceptionId ?? correctionId),
        `${error.code}: ${error.message}`,
      );
    }
    await tell(respond, `Not done: ${error.message} [${error.code}]. Nothing was changed.`);
    return;
  }
  logError(ctx, `action ${action}`, error);
  await tell(
    respond,
    `Something went wrong on Tally's side; nothing was changed. (${action})`,
  ).catch(() => undefined);
}
