/** What the listeners need, passed to each `register(app, ctx)`. */
import type { Knex } from 'knex';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { appendAudit } from '../engine/services/audit/log.ts';
import type { ActorResolver } from './roles.ts';
import type { Log } from '../engine/core/log.ts';

/** One source's quantity of a SKU at a location and bucket. */
export type SkuPosition = { source: string; location: string; bucket: string; quantity: number };

export type BotContext = {
  db: Knex;
  /** classification: the rules a suggested rule (explain-to-rule) is written against. */
  ruleset: Pick<Ruleset, 'receivers' | 'roles' | 'version' | 'classification'>;
  actors: ActorResolver;
  /** Starts a reconciliation run (the `/tally run` command); returns a one-line summary. */
  runNow?: (actor: string) => Promise<string>;
  /** Posts the manager digest now (the `/tally digest` command); returns a one-line answer. */
  postDigest?: (actor: string) => Promise<string>;
  /** `/tally sku`: what each source reports for the SKU now (composed by server/index.ts). */
  skuPositions?: (sku: string, location?: string) => SkuPosition[];
  now?: () => Date;
  log?: Log;
};

/** Refused clicks are audited too: who tried what, and why it was refused. */
export async function auditDenied(
  ctx: BotContext,
  actor: string,
  action: string,
  entityId: string,
  reason: string,
): Promise<void> {
  await ctx.db.transaction((trx) =>
    appendAudit(trx, {
      actor,
      action: `slack.denied.${action}`,
      entityType: 'exception',
      entityId,
      rulesetVersion: ctx.ruleset.version.label,
      after: { reason },
    }),
  );
}

export function logError(ctx: BotContext, where: string, error: unknown): void {
  const line = `${where}: ${error instanceof Error ? error.message : String(error)}`;
  (ctx.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
}
