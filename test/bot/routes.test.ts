/**
 * Requests the server does not route (a load-balancer probe, a browser, a port scan) answer 404
 * and leave the process serving; HEAD /health answers like GET without a body.
 */
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

const base = () => bot.events.replace(/\/slack\/events$/, '');

describe('routes the server does not know', () => {
  it.each([
    ['GET', '/metrics'],
    ['GET', '/favicon.ico'],
    ['GET', '/'],
    ['POST', '/'],
    ['GET', '/slack/events'],
    ['PUT', '/health'],
  ])('%s %s answers 404', async (method, path) => {
    const res = await fetch(`${base()}${path}`, { method });
    expect(res.status).toBe(404);
  });

  it('HEAD /health answers 200 with no body', async () => {
    const res = await fetch(`${base()}/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('still serves Slack afterwards', async () => {
    const health = await fetch(`${base()}/health`);
    expect(health.status).toBe(200);
    const res = await bot.post(
      slashCommandBody({
        userId: 'URES',
        channel: 'C0EAST',
        text: 'help',
        responseUrl: bot.fake.responseUrl('after-404'),
      }),
    );
    expect(res.status).toBe(200);
  });
});
