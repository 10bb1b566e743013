/**
 * Modal submissions. Input problems and refusals are answered in the modal itself
 * (response_action: errors) because the person is still looking at it; the engine call happens
 * after the ack, and the message is updated through the outbox.
 */
import type { App, ViewSubmitAction, ViewOutput } from '@slack/bolt';
import {
  hasRole,
  proposeCorrection,
  REASONS_BY_CODE,
} from '../../../engine/services/corrections/index.ts';
import { explain } from '../../../engine/services/exceptions/transition.ts';
import { TallyError } from '../../../engine/core/errors.ts';
import { loadCard } from '../../card.ts';
import { auditDenied, logError, type BotContext } from '../../context.ts';
import { notifyException } from '../../notify.ts';
import { enqueueRuleSuggestion } from '../../suggest.ts';
import { GENERAL, ONE_OFF_CODES, VIEW } from '../../views/modals.ts';
import { deltaQuestion, ON_PURPOSE, proposableSystems } from '../../views/propose-checks.ts';

type Values = ViewOutput['state']['values'];

const selected = (v: Values, block: string, action: string) =>
  v[block]?.[action]?.selected_option?.value ?? '';
const typed = (v: Values, block: string, action: string) => v[block]?.[action]?.value ?? '';
const ticked = (v: Values, block: string, action: string, option: string) =>
  (v[block]?.[action]?.selected_options ?? []).some((o) => o.value === option);

export function register(app: App, ctx: BotContext): void {
  app.view<ViewSubmitAction>(VIEW.explain, async ({ ack, body, view, client }) => {
    const found = await resolverSubmission(ctx, ack, body.user.id, view, 'explain', 'reason');
    if (!found) return;
    const { card, actor } = found;
    const code = selected(view.state.values, 'reason', 'code');
    if (!code)
      return void (await ack({ response_action: 'errors', errors: { reason: 'Pick a reason.' } }));
    const general = ticked(view.state.values, GENERAL.block, GENERAL.action, GENERAL.option);
    if (general && ONE_OFF_CODES.has(code)) {
      return void (await ack({
        response_action: 'errors',
        errors: {
          [GENERAL.block]: `${code} names no general reason; pick a specific reason or untick.`,
        },
      }));
    }
    await ack();
    // a second submission of the same explanation changes nothing, but may still ask for a rule
    const already = card.state === 'explained' && card.explanation === code;
    const note = typed(view.state.values, 'note', 'text');
    try {
      if (!already) {
        await explain(ctx.db, card.id, {
          actor: actor.id,
          code,
          reason: note ? `${code}: ${note}` : code,
        });
        await notifyException(ctx.db, ctx.ruleset, card.id);
      }
    } catch (error) {
      return void (await tellLater(ctx, client, card.slackChannel, actor.id, 'explain', error));
    }
    if (!general) return;
    try {
      await enqueueRuleSuggestion(ctx.db, ctx.ruleset, card.id, code);
    } catch (error) {
      // the explanation stands; only the suggestion could not be made
      await tellLater(ctx, client, card.slackChannel, actor.id, 'suggest', error, SUGGEST_FAILED);
    }
  });

  app.view<ViewSubmitAction>(VIEW.propose, async ({ ack, body, view, client }) => {
    const v = view.state.values;
    const found = await resolverSubmission(ctx, ack, body.user.id, view, 'propose', 'delta');
    if (!found) return;
    const { card, actor } = found;
    const deltaText = typed(v, 'delta', 'value').trim();
    const delta = Number(deltaText);
    const reasonCode = selected(v, 'reason', 'value');
    const errors: Record<string, string> = {};
    if (!/^[+-]?\d+$/.test(deltaText) || delta === 0)
      errors.delta = 'A non-zero whole number of base units, e.g. -12.';
    if (!REASONS_BY_CODE.has(reasonCode)) errors.reason = 'Pick a reason code.';
    const systems = proposableSystems(card);
    const system = selected(v, 'system', 'value') || card.source;
    if (!systems.includes(system))
      errors.system = `"${system}" is not a source of this exception; pick ${systems.join(', ')}.`;
    const onPurpose = ticked(v, ON_PURPOSE.block, ON_PURPOSE.action, ON_PURPOSE.option);
    const question = errors.delta || errors.system ? null : deltaQuestion(card, system, delta);
    if (question && !onPurpose)
      errors.delta = `${question} Tick "on purpose" below to propose it anyway.`;
    if (Object.keys(errors).length > 0)
      return void (await ack({ response_action: 'errors', errors }));
    await ack();
    try {
      await proposeCorrection(ctx.db, ctx.ruleset.roles, {
        exceptionId: card.id,
        actor,
        system,
        deltaQuantity: delta,
        reasonCode,
        note: typed(v, 'note', 'text'),
      });
      await notifyException(ctx.db, ctx.ruleset, card.id);
    } catch (error) {
      await tellLater(ctx, client, card.slackChannel, actor.id, 'propose', error);
    }
  });
}

type ErrorsAck = (r: {
  response_action: 'errors';
  errors: Record<string, string>;
}) => Promise<void>;

/**
 * The exception a modal was about and who submitted it, when they hold the resolver role
 * there; otherwise the refusal is shown under `block` and audited.
 */
async function resolverSubmission(
  ctx: BotContext,
  ack: ErrorsAck,
  userId: string,
  view: ViewOutput,
  action: string,
  block: string,
) {
  const card = await loadCard(ctx.db, Number(view.private_metadata));
  const actor = await ctx.actors.resolve(userId);
  if (card && hasRole(ctx.ruleset.roles, actor, card.location, 'resolver')) return { card, actor };
  await auditDenied(ctx, actor.id, action, view.private_metadata, 'no resolver role');
  await ack({
    response_action: 'errors',
    errors: { [block]: 'You need the resolver role for this location. Nothing was changed.' },
  });
  return undefined;
}

const NOT_DONE = { prefix: 'Not done', outcome: 'Nothing was changed.' };
const SUGGEST_FAILED = { prefix: 'No rule suggested', outcome: 'The explanation was recorded.' };

/** After the modal closed, a refusal can only be told as an ephemeral message in the channel. */
async function tellLater(
  ctx: BotContext,
  client: App['client'],
  channel: string | null,
  user: string,
  action: string,
  error: unknown,
  words = NOT_DONE,
): Promise<void> {
  if (!(error instanceof TallyError)) logError(ctx, `view ${action}`, error);
  if (!channel) return;
  const text =
    error instanceof TallyError
      ? `${words.prefix}: ${error.message} [${error.code}]. ${words.outcome}`
      : `Something went wrong on Tally's side (${action}). ${words.outcome}`;
  await client.chat.postEphemeral({ channel, user, text }).catch(() => undefined);
}
