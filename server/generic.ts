/**
 * The generic signed event form. Headers: `X-Tally-Timestamp` (Unix seconds) and
 * `X-Tally-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the shared secret
 * in TALLY_EVENTS_SECRET. A timestamp more than five minutes away (either way) is refused, so a
 * captured request cannot be replayed later. The body is one RawEvent, a list of them, or
 * `{ "events": [...] }`; every problem is reported at once with its path.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../engine/core/errors.ts';
import { EVENT_TYPES, type RawEvent } from '../engine/core/model/types.ts';

export const REPLAY_WINDOW_SEC = 5 * 60;
export const SECRET_ENV = 'TALLY_EVENTS_SECRET';

export function signGeneric(secret: string, timestampSec: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex');
  return `v1=${mac}`;
}

export function verifyGeneric(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: Buffer,
  nowMs = Date.now(),
): void {
  const ts = Number(headers.timestamp);
  if (!headers.timestamp || !Number.isInteger(ts)) {
    throw new InputError('EVENT_SIGNATURE', 'X-Tally-Timestamp header missing or not Unix seconds');
  }
  if (Math.abs(nowMs / 1000 - ts) > REPLAY_WINDOW_SEC) {
    throw new InputError('EVENT_REPLAY', 'X-Tally-Timestamp is outside the 5-minute window');
  }
  const expected = Buffer.from(signGeneric(secret, ts, rawBody.toString('utf8')));
  const given = Buffer.from(headers.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InputError('EVENT_SIGNATURE', 'X-Tally-Signature does not match the body');
  }
}

const TYPES = new Set<string>(EVENT_TYPES);
const OPTIONAL_TEXT = [
  'fromStatus',
  'toStatus',
  'counterpartLocation',
  'unit',
  'recordedAt',
  'reference',
  'reasonCode',
] as const;

export function parseGenericBody(rawBody: Buffer, sources: ReadonlySet<string>): RawEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new InputError('EVENT_PAYLOAD', 'body is not JSON');
  }
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events)
      ? (body as { events: unknown[] }).events
      : [body];
  const problems: string[] = [];
  const events = list.map((e, i) => checkEvent(e, `events[${i}]`, sources, problems));
  if (problems.length) throw new InputError('EVENT_PAYLOAD', problems.join('; '));
  return events as RawEvent[];
}

function checkEvent(
  value: unknown,
  path: string,
  sources: ReadonlySet<string>,
  problems: string[],
): RawEvent | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return null;
  }
  const e = value as Record<string, unknown>;
  const text = (k: string) => typeof e[k] === 'string' && e[k] !== '';
  for (const k of ['source', 'sourceEventId', 'sku', 'location', 'occurredAt']) {
    if (!text(k)) problems.push(`${path}.${k}: expected a non-empty string`);
  }
  if (text('source') && !sources.has(e.source as string)) {
    problems.push(`${path}.source: "${String(e.source)}" is not a source in the rules`);
  }
  if (!TYPES.has(String(e.type))) {
    problems.push(`${path}.type: expected one of ${EVENT_TYPES.join(', ')}`);
  }
  if (typeof e.quantity !== 'number' || !Number.isFinite(e.quantity)) {
    problems.push(`${path}.quantity: expected a number`);
  }
  if (text('occurredAt') && Number.isNaN(Date.parse(e.occurredAt as string))) {
    problems.push(`${path}.occurredAt: expected an ISO-8601 time`);
  }
  for (const k of OPTIONAL_TEXT) {
    if (e[k] !== undefined && typeof e[k] !== 'string') {
      problems.push(`${path}.${k}: expected a string`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of [
    'source',
    'sourceEventId',
    'type',
    'sku',
    'location',
    'quantity',
    'occurredAt',
  ]) {
    out[k] = e[k];
  }
  for (const k of OPTIONAL_TEXT) if (e[k] !== undefined) out[k] = e[k];
  return out as RawEvent;
}
