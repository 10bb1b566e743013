/**
 * Message buttons. Each handler acks first (Slack wants it within 3 s), then checks the
 * clicking user's role, calls the engine, and lets the outbox update the message.
 * Unauthorized clicks get an ephemeral explanation and change nothing.
 */
import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import {
  approveAndApply,
  hasRole,
  rejectCorrection,
  loadCorrection,
} from '../../../engine/corrections/index.ts';
import { assign } from '../../../engine/exceptions/transition.ts';
import { TallyError } from '../../../engine/errors.ts';
import { loadCard } from '../../card.ts';
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
        const card = await loadCard(ctx.db, id);
        if (!card) return void (await tell(respond, `Exception ${id} no longer exists.`));
        const actor = await ctx.actors.resolve(body.user.id);
        if (!hasRole(ctx.ruleset.roles, actor, card.location, 'resolver')) {
          await auditDenied(ctx, actor.id, 'assign', String(id), 'no resolver role');
          return void (await tell(
            respond,
            `You need the resolver role for ${card.location} to assign this exception. Nothing was changed.`,
          ));
        }
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
          const card = await loadCard(ctx.db, Number(action.value));
          if (!card)
            return void (await tell(respond, `Exception ${action.value} no longer exists.`));
          const actor = await ctx.actors.resolve(body.user.id);
          if (!hasRole(ctx.ruleset.roles, actor, card.location, 'resolver')) {
            await auditDenied(ctx, actor.id, actionId, String(card.id), 'no resolver role');
            return void (await tell(
              respond,
              `You need the resolver role for ${card.location} to do this. Nothing was changed.`,
            ));
          }
          await client.views.open({ trigger_id: body.trigger_id, view: open(card) as never });
        } catch (error) {
          await explainFailure(ctx, respond, actionId, error);
        }
      },
    );
  }

  app.action<BlockAction<ButtonAction>>(ACTION.approve, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const actor = await ctx.actors.resolve(body.user.id);
      const result = await approveAndApply(ctx.db, ctx.ruleset.roles as never, {
        correctionId: Number(action.value),
        actor,
      });
      const c = result.decision.correction;
      if (result.decision.status === 'already_approved')
        return void (await tell(respond, `You already approved correction ${c.id}.`));
      if (result.decision.status === 'recorded')
        await tell(respond, `Approval recorded; correction ${c.id} needs one more approver.`);
      await notifyException(ctx.db, ctx.ruleset, c.exceptionId);
    } catch (error) {
      await explainFailure(ctx, respond, 'approve', error, body.user.id, action.value);
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.reject, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const actor = await ctx.actors.resolve(body.user.id);
      const decision = await rejectCorrection(ctx.db, ctx.ruleset.roles as never, {
        correctionId: Number(action.value),
        actor,
      });
      await notifyException(ctx.db, ctx.ruleset, decision.correction.exceptionId);
    } catch (error) {
      await explainFailure(ctx, respond, 'reject', error, body.user.id, action.value);
    }
  });
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
