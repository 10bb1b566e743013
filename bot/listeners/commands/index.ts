/** `/tally status | sku <sku> [location] | run | digest | help`. Answers are ephemeral to the asker. */
import type { App } from '@slack/bolt';
import type { Knex } from 'knex';
import { hasRole, type Actor } from '../../../engine/services/corrections/index.ts';
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
      return sku(ctx.db, args[0], args[1]);
    case 'run': {
      const actor = await ctx.actors.resolve(userId);
      const approver =
        ctx.ruleset.roles.grants.some((g) => g.role === 'approver') &&
        hasRole(ctx.ruleset.roles, actor, '*', 'approver');
      if (!approver) {
        await auditDenied(ctx, userId, 'run', 'run', 'no approver role');
        return 'Only approvers can start a run. Nothing was started.';
      }
      if (!ctx.runNow) return 'This Tally instance cannot start runs from Slack.';
      return ctx.runNow(userId);
    }
    case 'digest': {
      const actor = await ctx.actors.resolve(userId);
      if (!approverAnywhere(ctx, actor)) {
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

/** An approver for at least one location (a grant may name locations or cover them all). */
function approverAnywhere(ctx: BotContext, actor: Actor): boolean {
  const roles = ctx.ruleset.roles;
  return roles.grants
    .filter((g) => g.role === 'approver')
    .some((g) =>
      (g.locations.length ? g.locations : ['*']).some((l) => hasRole(roles, actor, l, 'approver')),
    );
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

async function sku(db: Knex, skuCode: string, location?: string): Promise<string> {
  const latest = db('snapshots').select('source').max({ id: 'id' }).groupBy('source').as('l');
  let q = db('positions as p')
    .join(latest, 'p.snapshot_id', 'l.id')
    .where('p.sku', skuCode)
    .select('p.source', 'p.location', 'p.bucket')
    .sum({ q: 'p.quantity' })
    .groupBy('p.source', 'p.location', 'p.bucket')
    .orderBy(['p.location', 'p.bucket', 'p.source']);
  if (location) q = q.andWhere('p.location', location);
  const positions = (await q) as { source: string; location: string; bucket: string; q: number }[];
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
  const lines = positions.map((p) => `• ${p.location} ${p.bucket} · ${p.source}: ${p.q}`);
  const exLines = open.map(
    (e) =>
      `• #${e.id} ${e.location} ${e.bucket} ${e.source} ${e.variance} (${e.severity}, ${e.state})`,
  );
  return [
    `*${skuCode}${where}*`,
    lines.length ? lines.join('\n') : '_no positions loaded_',
    `*Open exceptions:* ${open.length}`,
    ...exLines,
  ].join('\n');
}
