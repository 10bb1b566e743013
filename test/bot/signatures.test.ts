import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/services/store/db.ts';
import { slashCommandBody } from '../support/slack-signing.ts';
import { sqliteDb } from './db.ts';
import { startBot } from './harness.ts';

let db: Db;
let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
  db = await sqliteDb();
  bot = await startBot(db);
});
afterAll(async () => {
  await bot.stop();
  await db.destroy();
});

const body = () =>
  slashCommandBody({
    userId: 'URES',
    channel: 'C0EAST',
    text: 'help',
    responseUrl: bot.fake.responseUrl('sig'),
  });
const now = () => Math.floor(Date.now() / 1000);
const answered = () => bot.fake.calls.filter((c) => c.method === 'response_url').length;

describe('request signatures', () => {
  it('accepts a correctly signed slash command and answers it', async () => {
    const res = await bot.post(body());
    expect(res.status).toBe(200);
    await expect.poll(answered).toBe(1);
  });

  it('rejects a tampered body', async () => {
    const signed = body();
    const { signedRequest, send } = await import('../support/slack-signing.ts');
    const req = signedRequest('test-signing-secret', signed);
    const res = await send(bot.events, { ...req, body: signed.replace('help', 'status') });
    expect(res.status).toBe(401);
  });

  it('rejects the wrong secret', async () => {
    expect((await bot.post(body(), 'not-the-secret')).status).toBe(401);
  });

  it('rejects stale and future timestamps even when signed correctly', async () => {
    expect((await bot.post(body(), undefined, now() - 6 * 60)).status).toBe(401);
    expect((await bot.post(body(), undefined, now() + 6 * 60)).status).toBe(401);
  });

  it('refuses a captured request replayed inside the window, on this replica and another', async () => {
    const { signedRequest, send } = await import('../support/slack-signing.ts');
    const captured = signedRequest('test-signing-secret', body());
    expect((await send(bot.events, captured)).status).toBe(200);
    await expect.poll(answered).toBe(2);
    const replayed = await send(bot.events, captured);
    expect([replayed.status, replayed.text]).toEqual([401, 'request already received (replay)']);
    const replica = await startBot(db);
    try {
      expect((await send(replica.events, captured)).status).toBe(401);
    } finally {
      await replica.stop();
    }
  });

  it('ran nothing for the rejected requests', async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect(answered()).toBe(2);
  });
});
