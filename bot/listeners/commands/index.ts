/** `/tally status | sku <sku> [location] | run | digest | help`. Answers are ephemeral to the asker. */
import type { App } from '@slack/bolt';
import type { Knex } from 'knex';
import { hasRoleSomewhere } from '../../../engine/core/rules/roles.ts';
import { LIVE_STATES } from '../../../engine/services/exceptions/states.ts';
import { auditDenied, logError, type BotContext } from '../../context.ts';

export const HELP = [
  '*/tally status* — open exceptions by severity and owner',
  '*/tally sku <sku> [location]* — positions across sources and open exceptions',
  '*/tally run* — start a reconciliation run now (approvers only)',
  '*/tally digest* — post the manager digest now (approvers only)',
  '*/tally help* — this text',
].join('\n');

export function register(app: App, ctx: BotContext): void {
  app.command('/tally', async ({ ack, command, respond }) => {
    await ack();
    const [verb = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    try {
      const text = await answer(ctx, verb.toLowerCase(), args, command.user_id);
      await respond({ response_type: 'ephemeral', text });
    } catch (error) {
      logError(ctx, '/tally', error);
      await respond({
        response_type: 'ephemeral',
        text: `Tally could not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });
}

async function answer(
  ctx: BotContext,
  verb: string,
  args: string[],
  userId: string,
): Promise<string> {
  switch (verb) {
    case 'status':
      return status(ctx.db);
    case 'sku':
      if (!args[0]) return 'Usage: `/tally sku <sku> [location]`';
      return sku(ctx, args[0], args[1]);
    case 'run': {
      const actor = await ctx.actors.resolve(userId);
      // an approver of some locations may start a run: a run reads, it changes no stock
      const approver = hasRoleSomewhere(
        ctx.ruleset.roles,
        actor.id,
        actor.groups ?? [],
        'approver',
      );
      if (!approver) {
        await auditDenied(ctx, userId, 'run', 'run', 'no approver role');
        return 'Only approvers can start a run. Nothing was started.';
      }
      if (!ctx.runNow) return 'This Tally instance cannot start runs from Slack.';
      return ctx.runNow(userId);
    }
    case 'digest': {
      const actor = await ctx.actors.resolve(userId);
      if (!hasRoleSomewhere(ctx.ruleset.roles, actor.id, actor.groups ?? [], 'approver')) {
        await auditDenied(ctx, userId, 'digest', 'digest', 'no approver role');
        return 'Only approvers can post the digest. Nothing was posted.';
      }
      if (!ctx.postDigest) return 'This Tally instance cannot post the digest from Slack.';
      return ctx.postDigest(userId);
    }
    default:
      return HELP;
  }
}

async function status(db: Knex): Promise<string> {
  const rows = (await db('exceptions')
    .whereIn('state', LIVE_STATES as string[])
    .select('owner', 'severity')
    .count({ n: '*' })
    .groupBy('owner', 'severity')) as { owner: string; severity: string; n: number | string }[];
  if (rows.length === 0) return 'No open exceptions. :white_check_mark:';
  const total = rows.reduce((a, r) => a + Number(r.n), 0);
  const lines = rows.map((r) => `• ${r.owner} · ${r.severity}: ${r.n}`);
  return `*${total} open exceptions*\n${lines.join('\n')}`;
}

function noPositions(ctx: BotContext, location?: string): string {
  if (!ctx.skuPositions)
    return '_positions are not available here: `tally serve` with `--data` reads them_';
  return location ? `_no source reports this SKU at ${location}_` : '_no source reports this SKU_';
}

async function sku(ctx: BotContext, skuCode: string, location?: string): Promise<string> {
  const db = ctx.db;
  const positions = ctx.skuPositions?.(skuCode, location) ?? [];
  let ex = db('exceptions')
    .where({ sku: skuCode })
    .whereIn('state', LIVE_STATES as string[]);
  if (location) ex = ex.andWhere({ location });
  const open = (await ex.select(
    'id',
    'location',
    'bucket',
    'source',
    'variance',
    'severity',
    'state',
  )) as Record<string, unknown>[];
  const where = location ? ` at ${location}` : '';
  const lines = positions.map(
    (p) => `• ${p.location} ${p.bucket} · ${p.source}: ${p.quantity.toLocaleString('en-US')}`,
  );
  const exLines = open.map(
    (e) =>
      `• #${e.id} ${e.location} ${e.bucket} ${e.source} ${e.variance} (${e.severity}, ${e.state})`,
  );
  return [
    `*${skuCode}${where}*`,
    lines.length ? lines.join('\n') : noPositions(ctx, location),
    `*Open exceptions:* ${open.length}`,
    ...exLines,
  ].join('\n');
}
