/** A running bot against the fake Slack: real Bolt app, real HTTP, real database. */
import { knexChannelPacer } from '../../bot/outbox/pacer.ts';
import { buildApp, listen } from '../../bot/app.ts';
import { recordDelivered } from '../../bot/notify.ts';
import { outboxRenderer } from '../../bot/rendering.ts';
import { slackSender } from '../../bot/outbox/senders.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import { OutboxWorker } from '../../bot/outbox/worker.ts';
import type { Db } from '../../engine/services/store/db.ts';
import type { Receiver, Roles, Ruleset } from '../../engine/core/rules/types.ts';
import { FakeSlack } from '../fakes/slack-api.ts';
import { send, signedRequest } from '../support/slack-signing.ts';

export const SECRET = 'test-signing-secret';
const declared = { file: 'roles.yaml', line: 1 };

export const ROLES: Roles = {
  twoApproverThresholdValue: 1_000_000,
  grants: [
    { ...declared, subject: 'URES', subjectKind: 'user', role: 'resolver', locations: ['WH1'] },
    { ...declared, subject: 'UAPP1', subjectKind: 'user', role: 'approver', locations: [] },
    { ...declared, subject: 'S0APPROVERS', subjectKind: 'group', role: 'approver', locations: [] },
    { ...declared, subject: 'UVIEW', subjectKind: 'user', role: 'viewer', locations: [] },
  ],
};

const receiver = (name: string, slackChannel: string): Receiver => ({
  ...declared,
  name,
  slackChannel,
});

export const RULESET: Pick<Ruleset, 'receivers' | 'roles' | 'version' | 'classification'> = {
  receivers: new Map([
    ['ops-east', receiver('ops-east', 'C0EAST')],
    ['ops-west', receiver('ops-west', 'C0WEST')],
  ]),
  roles: ROLES,
  version: { hash: 'abc123', label: 'abc123' },
  // one rule, so a suggested rule's priority and name are written against something
  classification: {
    rules: [
      {
        ...declared,
        name: 'missing-posting',
        priority: 100,
        conditions: { all: [{ fact: 'absVariance', operator: 'greaterThan', value: 0 }] },
        outcome: { type: 'exception', severity: 'high', rootCause: 'MISSING_POSTING' },
      },
    ],
    fallback: { type: 'exception', severity: 'medium', rootCause: 'UNKNOWN' },
  },
};

/**
 * perChannelIntervalMs: Slack's pace by default; 0 where a test is not about pacing.
 * ruleset and channels: a loaded ruleset and the Slack channel ids of its receivers' names.
 */
export async function startBot(
  db: Db,
  options: {
    perChannelIntervalMs?: number;
    /** Rows the outbox worker reads per pass, and of one channel (its defaults otherwise). */
    rowsPerPass?: number;
    rowsPerChannel?: number;
    ruleset?: Parameters<typeof buildApp>[1]['ruleset'];
    channels?: Record<string, string>;
  } = {},
) {
  const fake = new FakeSlack({
    userGroups: { S0APPROVERS: ['UAPP2'] },
    ...(options.channels ? { channels: options.channels } : {}),
  });
  await fake.start();
  const built = buildApp(
    { token: 'xoxb-test', signingSecret: SECRET, slackApiUrl: fake.url },
    { db, ruleset: options.ruleset ?? RULESET, log: () => {} },
  );
  const http = await listen(built, 0, async () => ({ ok: true }));
  const worker = new OutboxWorker({
    store: knexOutboxStore(db),
    sender: slackSender(built.outboxClient),
    pacer: knexChannelPacer(db),
    perChannelIntervalMs: options.perChannelIntervalMs,
    rowsPerPass: options.rowsPerPass,
    rowsPerChannel: options.rowsPerChannel,
    log: () => {},
    onDelivered: recordDelivered(db),
    render: outboxRenderer(db, () => options.ruleset ?? RULESET),
  });
  const events = `${http.url}/slack/events`;
  return {
    fake,
    built,
    worker,
    events,
    post: (body: string, secret = SECRET, ts?: number) =>
      send(events, signedRequest(secret, body, ts)),
    async stop() {
      await http.close();
      await fake.stop();
    },
  };
}

/** Polls until `check` holds: handlers work after the ack, so tests wait for the effect. */
export async function until<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  tries = 200,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
