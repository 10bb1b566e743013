/**
 * `tally doctor` against real parts: the demo's data folder with one export missing and one
 * empty, a SQLite database, and the fake Slack Web API that knows all channels but one.
 */
import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type Check } from '../server/doctor.ts';
import { FakeSlack } from './fakes/slack-api.ts';
import { demoData, rulesWithoutOrders, tally, tempDir } from './rules-tooling/setup.ts';

const tmp = tempDir('doctor');
let data: string;
let slack: FakeSlack;

beforeAll(async () => {
  data = await demoData(tmp.dir);
  rmSync(join(data, 'erp', 'stock.csv'));
  truncateSync(join(data, 'pos', 'store_stock.csv'), 0);
  slack = new FakeSlack({
    channels: {
      'inv-control': 'C0CONTROL',
      'inv-managers': 'C0MANAGERS',
      'inv-wh-east': 'C0EAST',
      'inv-wh-west': 'C0WEST',
      'inv-stores': 'C0STORES',
      'inv-ecommerce': 'C0ECOM',
      'loss-prevention': 'C0LOSS',
      'finance-managers': 'C0FINMGR',
      // #inv-finance is missing: the bot was never invited
    },
  });
  await slack.start();
});

afterAll(async () => {
  await slack.stop();
  tmp.remove();
});

const find = (checks: Check[], area: string, subject: string) =>
  checks.find((c) => c.area === area && c.subject === subject);

describe('tally doctor', () => {
  it('finds the missing and empty exports, the unknown channel, and passes the rest', async () => {
    const checks = await runDoctor({
      rulesDir: join(data, 'rules'),
      dataDir: data,
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.url,
        TALLY_DATABASE_URL: join(tmp.dir, 'doctor.db'),
      },
      sourceTimeoutMs: 5000,
    });
    expect(find(checks, 'rules', join(data, 'rules'))?.status).toBe('ok');
    // the bundled rules give `tally rules validate` nothing to warn of
    expect(checks.filter((c) => c.area === 'rules' && c.status !== 'ok')).toEqual([]);
    expect(find(checks, 'slack', 'token')?.status).toBe('ok');
    const missing = find(checks, 'source', 'erp erp/stock.csv');
    expect(missing).toMatchObject({ status: 'fail', detail: 'file not found' });
    expect(missing?.fix).toContain(join(data, 'erp', 'stock.csv'));
    expect(find(checks, 'source', 'pos pos/store_stock.csv')).toMatchObject({
      status: 'fail',
      detail: 'empty file (0 bytes)',
    });
    expect(find(checks, 'source', 'erp erp/items.csv')?.status).toBe('ok');
    const finance = checks.filter((c) => c.area === 'slack' && c.status === 'fail');
    expect(finance.map((c) => c.detail)).toEqual(['channel #inv-finance not found']);
    expect(finance[0]!.fix).toMatch(/invite the Tally app to #inv-finance/);
    // the managers' digest goes to digest channels only; teams without one are named
    expect(find(checks, 'digest', 'channels')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(
        /^at 0 8 \* \* \* \(UTC\) to #inv-managers \(inventory-control, east-ops, west-ops, store-ops\); #finance-managers \(finance-ops\); left out, no digestChannel: ecommerce-ops, loss-prevention$/,
      ),
    });
    const east = checks.find((c) => c.detail === '#inv-wh-east → C0EAST');
    expect(east?.status).toBe('ok');
    expect(slack.calls.map((c) => c.method)).toEqual(
      expect.arrayContaining(['auth.test', 'conversations.list']),
    );
  });

  it('warns of what `tally rules validate` warns of: a channel whose orders go unchecked', async () => {
    const rules = rulesWithoutOrders(join(tmp.dir, 'rules-unnamed'));
    const checks = await runDoctor({ rulesDir: rules, env: {}, sourceTimeoutMs: 5000 });
    const warned = checks.filter((c) => c.area === 'rules' && c.status === 'warn');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      subject: expect.stringMatching(/^ORDERS_UNNAMED .*sources\.yaml:\d+$/),
      detail: expect.stringMatching(/^Sources shop: reads events at .* names none of its orders/),
      fix: `tally rules validate ${rules} explains each warning`,
    });
  });

  it('exits 1 and says what to fix, and lists every check as JSON', () => {
    const r = tally(tmp.dir, 'doctor', '--rules', join(data, 'rules'), '--data', data);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}source erp erp\/stock\.csv +file not found/);
    expect(r.stdout).toMatch(/to fix/);
    expect(r.stdout).toMatch(/slack credentials: set SLACK_BOT_TOKEN/);
    const json = tally(
      tmp.dir,
      'doctor',
      '--rules',
      join(data, 'rules'),
      '--data',
      data,
      '--format',
      'json',
    );
    const parsed = JSON.parse(json.stdout) as { checks: Check[]; failed: number };
    expect(parsed.failed).toBe(2);
    expect(parsed.checks.find((c) => c.area === 'database')?.status).not.toBe('fail');
  });
});
