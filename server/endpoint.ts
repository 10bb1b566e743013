/**
 * HTTP routes of the event endpoint, mounted on the `tally serve` server:
 *   POST /events                    the generic signed form (generic.ts)
 *   POST /webhooks/shopify/<source> a Shopify webhook, verified by its HMAC (connectors/shopify)
 * Answers 200 with what was applied once the batch is in the ledger and re-reconciled; 401 on
 * a bad signature or stale timestamp, 400 on a bad payload (each problem named), 409 when a
 * sourceEventId already received is reused with different content (the whole batch is refused
 * and the refusal audited), 413 on a body over 5 MiB, 503 with Retry-After while the database
 * cannot be reached, 404 otherwise. A batch is all or nothing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleShopifyWebhook } from '../connectors/shopify/index.ts';
import { shopifyClientFor, shopifySkuResolver } from '../connectors/shopify/index.ts';
import { InputError, TallyError } from '../engine/core/errors.ts';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { databaseFailure } from '../engine/services/store/failure.ts';
import { parseGenericBody, SECRET_ENV, verifyGeneric } from './generic.ts';
import type { Batch, LiveLedger } from './live.ts';
import type { Log } from '../engine/core/log.ts';

const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** What a 503 asks the sender to wait when the database cannot be reached. */
const RETRY_AFTER_SEC = 10;
const SIGNATURE_CODES = new Set([
  'EVENT_SIGNATURE',
  'EVENT_REPLAY',
  'SHOPIFY_WEBHOOK_SIGNATURE',
  'EVENTS_SECRET_MISSING',
]);

export type EventRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

export function eventRoutes(o: {
  ruleset: Ruleset;
  live: LiveLedger;
  env?: NodeJS.ProcessEnv;
  log?: Log;
}): EventRoutes {
  const env = o.env ?? process.env;
  const resolvers = new Map<string, ReturnType<typeof shopifySkuResolver>>();
  const shopifyBatch = async (sourceId: string, req: IncomingMessage, body: Buffer) => {
    const source = o.ruleset.sources.get(sourceId);
    if (!source || source.connector !== 'shopify') {
      throw new InputError('EVENT_SOURCE', `no Shopify source "${sourceId}" in the rules`);
    }
    let resolve = resolvers.get(sourceId);
    if (!resolve) resolvers.set(sourceId, (resolve = shopifySkuResolver(shopifyClientFor(source))));
    const parsed = await handleShopifyWebhook(
      source,
      { headers: req.headers, rawBody: body },
      resolve,
    );
    const { events, positions, problems, outside, refused } = parsed;
    return { events, positions, refused, problems, outside };
  };
  const genericBatch = (req: IncomingMessage, body: Buffer): Batch => {
    const secret = env[SECRET_ENV];
    if (!secret)
      throw new InputError('EVENTS_SECRET_MISSING', `set ${SECRET_ENV} to accept events`);
    verifyGeneric(
      secret,
      {
        timestamp: header(req, 'x-tally-timestamp'),
        signature: header(req, 'x-tally-signature'),
      },
      body,
    );
    return { events: parseGenericBody(body, new Set(o.ruleset.sources.keys())), positions: [] };
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method !== 'POST') return false;
    const shopify = /^\/webhooks\/shopify\/([^/]+)$/.exec(url.pathname);
    if (url.pathname !== '/events' && !shopify) return false;
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    const path = shopify ? `webhooks/shopify/${shopify[1]}` : 'events';
    void readBody(req)
      .then(async (body) => {
        const batch: Batch & { problems?: string[]; outside?: string[] } = shopify
          ? await shopifyBatch(decodeURIComponent(shopify[1]!), req, body)
          : genericBatch(req, body);
        const applied = await o.live.accept(batch);
        o.log?.(`events: ${applied.received} received, ${applied.fresh} new on /${path}`, {
          requestId,
          runId: applied.runId ?? undefined,
        });
        // what the delivery held and Tally could not take: said, never dropped in silence
        const problems = [...(batch.problems ?? []), ...(applied.problems ?? [])];
        for (const p of problems) o.log?.(`events: not taken on /${path}: ${p}`, { requestId });
        // records at a location the source does not read: not taken, and said which
        const outside = batch.outside ?? [];
        for (const x of outside) o.log?.(`events: not read on /${path}: ${x}`, { requestId });
        const { problems: _told, ...counts } = applied;
        reply(res, 200, {
          ok: true,
          ...counts,
          ...(problems.length ? { problems } : {}),
          ...(outside.length ? { outside } : {}),
        });
      })
      .catch((error: unknown) => {
        const lost = databaseFailure(error);
        if (lost) {
          // nothing was kept: the sender retries the same batch once the database is back
          o.log?.(`events: ${lost.message}`, { requestId });
          res.setHeader('Retry-After', String(RETRY_AFTER_SEC));
          return reply(res, 503, { ok: false, code: lost.code, error: lost.message, requestId });
        }
        if (error instanceof TallyError) {
          const status = statusOf(error.code);
          o.log?.(`events: refused ${status} ${error.code} on /${path}`, { requestId });
          return reply(res, status, { ok: false, code: error.code, error: error.message });
        }
        o.log?.(`events: ${String(error)}`, { requestId });
        reply(res, 500, {
          ok: false,
          error: 'internal error; see the server log',
          requestId,
        });
      });
    return true;
  };
}

function statusOf(code: string): number {
  if (SIGNATURE_CODES.has(code)) return 401;
  if (code === 'EVENT_ID_REUSED') return 409;
  if (code === 'EVENT_TOO_LARGE') return 413;
  return 400;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Reads the body up to MAX_BODY_BYTES. Past that the rest is read and discarded (not reset), so
 * the sender gets the 413 instead of a broken connection.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new InputError('EVENT_TOO_LARGE', `body over ${MAX_BODY_BYTES} bytes; send smaller batches`);
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The caller's X-Request-Id when it looks like one, else a new id: the log and answer carry it. */
function requestIdOf(req: IncomingMessage): string {
  const given = header(req, 'x-request-id');
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (status === 413) headers.Connection = 'close';
  res.writeHead(status, headers).end(JSON.stringify(body));
}
