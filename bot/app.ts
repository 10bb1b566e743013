/**
 * Builds the Bolt app: the HTTP receiver by default (behind a small server that adds the health
 * endpoint and refuses requests whose timestamp is outside ±5 minutes, future ones included,
 * before Bolt checks the signature), Socket Mode when an app-level token is configured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { ExternalError } from '../engine/core/errors.ts';
import type { BotContext } from './context.ts';
import { register as registerActions } from './listeners/actions/index.ts';
import { register as registerCommands } from './listeners/commands/index.ts';
import { register as registerViews } from './listeners/views/index.ts';
import { actorResolver } from './roles.ts';
import { admit, knexSignatureCache, type Admission } from './replay.ts';

type BoltApp = App;

export type SlackConfig = {
  token: string;
  signingSecret: string;
  /** xapp-… app-level token: Socket Mode (local development, no public URL). */
  appToken?: string;
  /** Defaults to https://slack.com/api/; tests point it at the fake. */
  slackApiUrl?: string;
};

export type BuiltApp = {
  app: BoltApp;
  mode: 'http' | 'socket';
  /** The requestListener of the HTTP receiver (http mode only). */
  listener?: (req: IncomingMessage, res: ServerResponse) => void;
  /** A client for the outbox: no hidden retries, so the worker paces and retries itself. */
  outboxClient: WebClient;
  /** Checks a request's signature, window and first use before Bolt sees it (http mode). */
  admit?: (req: IncomingMessage) => Promise<Admission>;
};

export const MAX_SKEW_SEC = 5 * 60;
/** Bolt's HTTPReceiver default endpoint: the only path handed to it. */
const SLACK_PATH = '/slack/events';
const HEALTH_PATHS = new Set(['/health', '/healthz']);

export function buildApp(config: SlackConfig, context: Omit<BotContext, 'actors'>): BuiltApp {
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {};
  const socket = Boolean(config.appToken);
  const receiver = socket
    ? undefined
    : new HTTPReceiver({ signingSecret: config.signingSecret, logLevel: LogLevel.ERROR });
  const app = socket
    ? new App({
        token: config.token,
        appToken: config.appToken,
        socketMode: true,
        clientOptions,
        logLevel: LogLevel.ERROR,
      })
    : new App({ token: config.token, receiver, clientOptions, logLevel: LogLevel.ERROR });
  const ctx: BotContext = { ...context, actors: actorResolver(app.client, context.ruleset.roles) };
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerCommands(app, ctx);
  const outboxClient = new WebClient(config.token, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return {
    app,
    mode: socket ? 'socket' : 'http',
    listener: receiver?.requestListener,
    outboxClient,
    admit: socket
      ? undefined
      : (() => {
          const seen = knexSignatureCache(context.db);
          return (req: IncomingMessage) => admit(req, config.signingSecret, seen);
        })(),
  };
}

/** Slack's replay window, both ways: Bolt's own check only refuses old timestamps. */
export function timestampFresh(header: string | string[] | undefined, nowMs = Date.now()): boolean {
  const sec = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isFinite(sec)) return false;
  return Math.abs(nowMs / 1000 - sec) <= MAX_SKEW_SEC;
}

const REFUSED: Record<Exclude<Admission, 'ok'>, string> = {
  bad_signature: 'signature does not match',
  stale: 'stale or future request timestamp',
  replayed: 'request already received (replay)',
  too_large: 'body too large',
};

export type Health = () => Promise<Record<string, unknown>>;

/** Extra routes mounted before Slack's (the event endpoint); true when the route answered. */
export type Routes = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Serves /health, any extra routes and, in http mode, Slack's requests on /slack/events. */
export async function listen(
  built: Pick<BuiltApp, 'listener' | 'admit'>,
  port: number,
  health: Health,
  routes?: Routes,
): Promise<{ server: Server; url: string; close: (graceMs?: number) => Promise<void> }> {
  const server = createServer((req, res) => {
    if (routes?.(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if ((req.method === 'GET' || req.method === 'HEAD') && HEALTH_PATHS.has(path)) {
      void health().then(
        (body) =>
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
        (e: unknown) => res.writeHead(503).end(JSON.stringify({ ok: false, error: String(e) })),
      );
      return;
    }
    // Bolt throws on a request it does not route; nothing but Slack's endpoint reaches it
    if (!built.listener || req.method !== 'POST' || path !== SLACK_PATH) {
      return void res.writeHead(404).end();
    }
    if (!timestampFresh(req.headers['x-slack-request-timestamp'])) {
      return void res.writeHead(401).end('stale or future request timestamp');
    }
    const listener = built.listener;
    const admitted = built.admit ? built.admit(req) : Promise.resolve<Admission>('ok');
    void admitted.then(
      (a) => {
        if (a !== 'ok') return void res.writeHead(a === 'too_large' ? 413 : 401).end(REFUSED[a]);
        try {
          listener(req, res);
        } catch {
          if (!res.headersSent) res.writeHead(404).end();
        }
      },
      () => void (res.headersSent || res.writeHead(503).end('cannot check the request now')),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new ExternalError(
          'network',
          'LISTEN_FAILED',
          `cannot listen on port ${port}: ${e.code ?? e.message}`,
          {
            cause: e,
          },
        ),
      ),
    );
    server.listen(port, resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${actual}`,
    // New connections are refused at once and idle keep-alive ones closed; a request in flight
    // (a click being applied) gets the grace to finish before its connection is cut.
    close: async (graceMs = 5000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([closed, graceOver]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}
