/**
 * Money is exact from the item master to the audit log. Costs a binary float gets wrong
 * (3 × 214.06 = 642.1800000000001, 2 × 119.80 = 239.60000000000002) travel from an item-master
 * CSV through a run to the stored exception, the Slack message, an approval limit of exactly
 * that value (allowed) and one cent below it (refused), and the audit export — on SQLite and
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun } from '../../bot/notify.ts';
import { exportAudit } from '../../engine/services/audit/export.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
import { proposeCorrection } from '../../engine/services/corrections/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import { listExceptions } from '../../engine/services/exceptions/query.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { testDatabases } from '../support/databases.ts';
import { blockActionsPayload, interactivityBody } from '../support/slack-signing.ts';
import {
  AS_OF,
  ERP_SOURCE,
  WMS_OPENING,
  WMS_SOURCE,
  erpBin,
  sources,
  world,
} from '../completeness/world.ts';
import { startBot, until } from './harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ITEMS =
  'item_code,item_group,stock_uom,valuation_rate\nSKU-1,apparel,Each,214.06\nSKU-2,apparel,Each,119.80\n';

/** Limits at exactly 3 × 214.06 and one cent below it. */
const ROLES = `apiVersion: tally/v1
kind: Roles
twoApproverThresholdValue: 5000
grants:
  - { subject: U0RESOLVER, role: resolver }
  - { subject: U0EXACTAPP, role: approver, approvalLimitValue: 642.18 }
  - { subject: U0CENTSHRT, role: approver, approvalLimitValue: 642.17 }
`;

const CHANNELS = {
  'inv-control': 'C0CONTROL',
  'inv-wh-east': 'C0WHEAST',
  'inv-wh-west': 'C0WHWEST',
  'inv-stores': 'C0STORES',
  'inv-ecommerce': 'C0ECOM',
  'inv-finance': 'C0FINANCE',
  'loss-prevention': 'C0LOSS',
};

let run: RunResult;
let ruleset: Ruleset;

beforeAll(async () => {
  // WMS opening: SKU-1 22, SKU-2 1032; the ERP books 25 (+3) and 1030 (−2)
  const w = world(sources(ERP_SOURCE, WMS_SOURCE), {
    'erp/items.csv': ITEMS,
    'erp/bin.csv': erpBin([
      ['SKU-1', '25'],
      ['SKU-2', '1030'],
    ]),
    'wms-east/opening.csv': WMS_OPENING,
  });
  writeFileSync(join(w.rules, 'roles.yaml'), ROLES);
  ({ run, ruleset } = await reconcileFolder({ rulesDir: w.rules, dataDir: w.data, asOf: AS_OF }));
});

describe('values at risk from the item master', () => {
  it('are exact minor units in the run, and the rule fact reads as written', () => {
    const bySku = new Map(run.results.map((k) => [k.sku, k]));
    expect(bySku.get('SKU-1')).toMatchObject({ variance: 3, valueAtRiskMinor: 64218 });
    expect(bySku.get('SKU-2')).toMatchObject({ variance: -2, valueAtRiskMinor: 23960 });
    expect(bySku.get('SKU-1')!.evidence!.facts.valueAtRisk).toBe(642.18);
    expect(bySku.get('SKU-2')!.evidence!.facts.valueAtRisk).toBe(239.6);
    expect(run.currency).toEqual({ code: 'USD', exponent: 2 });
  });
});

for (const engine of testDatabases()) {
  describe(`money end to end on ${engine.name}`, () => {
    let db: Db;
    let bot: Awaited<ReturnType<typeof startBot>>;

    beforeAll(async () => {
      db = await engine.open();
      bot = await startBot(db, { ruleset, channels: CHANNELS, perChannelIntervalMs: 0 });
      const summary = await persistRun(db, run, { owners: (k) => ownerOf(ruleset, k) });
      await notifyRun(db, ruleset, summary);
      await bot.worker.drain();
    });
    afterAll(async () => {
      await bot.stop();
      await engine.close();
    });

    const exceptionOf = async (sku: string) =>
      (await db('exceptions').where({ sku }).first()) as Record<string, unknown>;
    const messageOf = (e: Record<string, unknown>) =>
      bot.fake.channelMessages(String(e.slack_channel)).find((m) => m.ts === e.slack_ts)!;

    it('stores integer minor units with the currency and the unit cost', async () => {
      const one = await exceptionOf('SKU-1');
      expect(Number(one.value_at_risk_minor)).toBe(64218);
      expect(one).toMatchObject({ unit_cost: '214.06', currency: 'USD' });
      expect(Number((await exceptionOf('SKU-2')).value_at_risk_minor)).toBe(23960);
      const listed = await listExceptions(db, {});
      expect(listed.map((e) => [e.sku, e.valueAtRiskMinor]).sort()).toEqual([
        ['SKU-1', 64218],
        ['SKU-2', 23960],
      ]);
      const results = await db('run_results').select('sku', 'value_at_risk_minor').orderBy('sku');
      expect(results.map((r) => Number(r.value_at_risk_minor))).toEqual([64218, 23960]);
    });

    it('shows the exact values in the Slack messages', async () => {
      const one = messageOf(await exceptionOf('SKU-1'));
      const two = messageOf(await exceptionOf('SKU-2'));
      expect(JSON.stringify(one.blocks)).toContain('*Value at risk*\\n$642.18');
      expect(JSON.stringify(two.blocks)).toContain('*Value at risk*\\n$239.60');
      expect(one.text).toContain('value at risk $642.18');
      const everything = JSON.stringify(bot.fake.calls);
      expect(everything).not.toMatch(/642\.18000|239\.60000|642\.17999|239\.59999/);
    });

    it('refuses an approver one cent short and lets the exact limit approve', async () => {
      const exc = await exceptionOf('SKU-1');
      const { correction } = await proposeCorrection(db, ruleset.roles, {
        exceptionId: Number(exc.id),
        actor: { id: 'U0RESOLVER' },
        system: 'erp',
        deltaQuantity: -3,
        reasonCode: 'PHYSICAL_COUNT',
      });
      expect(correction).toMatchObject({ unitCost: '214.06', valueMinor: 64218, currency: 'USD' });
      await bot.worker.drain();
      const click = (userId: string) =>
        bot.post(
          interactivityBody(
            blockActionsPayload({
              userId,
              actionId: 'tally_approve',
              value: String(correction.id),
              channel: String(exc.slack_channel),
              messageTs: String(exc.slack_ts),
              responseUrl: bot.fake.responseUrl(`${userId}-approve`),
            }),
          ),
        );
      await click('U0CENTSHRT');
      const refusal = await until(
        async () =>
          bot.fake.calls
            .filter((c) => c.method === 'response_url')
            .map((c) => String(c.args.text))
            .find((t) => /approval limit/.test(t)),
        'the refusal',
      );
      expect(refusal).toContain(
        "correction value $642.18 exceeds U0CENTSHRT's approval limit $642.17 for WH-EAST",
      );
      expect((await db('corrections').where({ id: correction.id }).first()).state).toBe('proposed');

      await click('U0EXACTAPP');
      await until(
        async () =>
          (await db('corrections').where({ id: correction.id }).first()).state === 'applied',
        'the approval at exactly the limit',
      );
      // the click's handler queues the message update after the approval commits: delivered
      // once it is queued, whenever that is on a loaded machine
      const applied = /Correction #\d+\* \(applied\): erp -3 \S+ · \*worth \$642\.18\*/;
      await until(async () => {
        await bot.worker.drain();
        return applied.test(JSON.stringify(messageOf(exc).blocks));
      }, 'the message showing the applied correction');
    });

    it('records exact values in the audit log and its export', async () => {
      const json = JSON.parse(await exportAudit(db, { format: 'json' })) as {
        action: string;
        after: string;
      }[];
      const after = (action: string) =>
        JSON.parse(json.find((e) => e.action === action)!.after) as Record<string, unknown>;
      expect(after('correction.proposed')).toMatchObject({
        unitCost: '214.06',
        value: '642.18',
        currency: 'USD',
      });
      expect(after('correction.approved')).toMatchObject({ value: '642.18', currency: 'USD' });
      const csv = await exportAudit(db, { format: 'csv' });
      expect(csv).toContain('642.18');
      expect(csv).not.toMatch(/642\.18000|642\.17999|239\.60000|239\.59999/);
      expect(await verifyAudit(db)).toMatchObject({ ok: true });
    });
  });
}
