/**
 * Slack request signatures, checked before Bolt sees a request: the HMAC over
 * `v0:<timestamp>:<body>` with the signing secret, the timestamp within five minutes either way,
 * and the signature never seen before. Accepted signatures are kept in the database for the
 * window, so a captured click replayed inside it is refused on every replica.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Knex } from 'knex';

export const REPLAY_WINDOW_SEC = 5 * 60;
/** Slack's payloads are small; a larger body is refused before it is read whole. */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
const PRUNE_EVERY_MS = 60_000;

export type Admission = 'ok' | 'bad_signature' | 'stale' | 'replayed' | 'too_large';

/** true when `signature` was not used before; records it for the replay window. */
export type SignatureCache = (signature: string, nowMs: number) => Promise<boolean>;

export function knexSignatureCache(db: Knex): SignatureCache {
  let prunedAt = 0;
  return async (signature, nowMs) => {
    if (nowMs - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = nowMs;
      await db('request_signatures').where('expires_at_ms', '<', nowMs).delete();
    }
    const expires = nowMs + 2 * REPLAY_WINDOW_SEC * 1000;
    const inserted = await db('request_signatures')
      .insert({ signature: signature.slice(0, 100), expires_at_ms: expires })
      .onConflict('signature')
      .ignore()
      .returning('signature');
    return inserted.length > 0;
  };
}

export function slackSignature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/**
 * Reads the body (leaving it where Bolt's receiver looks for an already-read body) and decides.
 * The signature is recorded only once it is valid, so forged requests cannot fill the cache.
 */
export async function admit(
  req: IncomingMessage,
  secret: string,
  seen: SignatureCache,
  nowMs = Date.now(),
): Promise<Admission> {
  const raw = await readLimited(req);
  if (!raw) return 'too_large';
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  // Slack's unsigned SSL check; Bolt answers it and strips anything else from the body
  if (/^ssl_check=1(&|$)/.test(raw.toString('utf8'))) return 'ok';
  const ts = Number(header(req, 'x-slack-request-timestamp'));
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > REPLAY_WINDOW_SEC) return 'stale';
  const given = Buffer.from(header(req, 'x-slack-signature') ?? '');
  const expected = Buffer.from(slackSignature(secret, ts, raw.toString('utf8')));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  return (await seen(expected.toString(), nowMs)) ? 'ok' : 'replayed';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readLimited(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_SLACK_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_SLACK_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
