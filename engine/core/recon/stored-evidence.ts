/**
 * The text an exception's evidence is stored as, and read back from.
 *
 * A run at 1M keys saves ~30,000 evidences, ~120 MB of plain JSON, much of it the same names
 * written again and again: each movement of the history spelled out its fifteen keys, each
 * candidate cause its five, each fact its name. Every megabyte is written twice (the WAL, then
 * the database) and costs the save ~15 ms. The stored form keeps the evidence as JSON, with
 * three parts written as arrays in a fixed order (layout 1, `"layout":1` first in the text):
 *
 * - `history`: each movement as `[source, sourceEventId, type, sku, from, to, quantity,
 *   occurredAt, recordedAt, reference, reasonCode, rawFromStatus, rawToStatus, originFile,
 *   originLine, pairedWith]`, an account as `[location, bucket]` (stock) or its outside account's
 *   name, `recordedAt` 0 when it equals `occurredAt`, `pairedWith` as `[source, sourceEventId,
 *   method]`, null for a part the movement lacks, trailing nulls left out;
 * - `candidates`: each as `[cause, rule, fired, for, against]`;
 * - `facts`: `[n, ...values]`, the values in the order of FACT_LAYOUTS[n].
 *
 * A part that does not have exactly that shape (evidence written by hand, by an older version)
 * stays as it is: readJson and decodeEvidence give back what was written, layout or not, and the
 * plain JSON saved before the layout reads as it always did. docs/reconciliation.md lists it.
 */
import { InputError } from '../errors.ts';
import type { Facts } from '../facts.ts';
import type { MovementEvent } from '../model/types.ts';
import type { CandidateCause } from './candidates.ts';
import type { Evidence } from './types.ts';

/**
 * The orders facts are stored in, by number: append a new list when the facts change (never
 * edit one), so evidence stored before still reads. A test holds the last one to FACT_NAMES.
 */
export const FACT_LAYOUTS: readonly (readonly string[])[] = [
  [
    'sku',
    'skuClass',
    'category',
    'location',
    'locationType',
    'bucket',
    'source',
    'sourceRole',
    'isSystemOfRecord',
    'expectedQuantity',
    'sourceQuantity',
    'variance',
    'absVariance',
    'variancePct',
    'valueAtRisk',
    'withinTolerance',
    'toleranceAbsolute',
    'tolerancePercent',
    'pendingInTransit',
    'overdueInTransit',
    'unmatchedInWindow',
    'unmatchedInWindowQuantity',
    'unmatchedOutsideWindow',
    'unmatchedOutsideWindowQuantity',
    'unmatchedTypes',
    'unmatchedReasonCodes',
    'missingSide',
    'unmatchedCountAdjustments',
    'unmatchedCountAdjustmentQuantity',
    'statusMovesInWindowQuantity',
    'adjustmentsBySystemOfRecord',
    'agreesWithSource',
    'agreeingSources',
    'lateEvents',
    'duplicateEvents',
    'duplicateQuantity',
    'netVarianceAcrossBuckets',
    'uomRounding',
    'varianceIsUnitMultiple',
    'adjustmentsOutsideSystemOfRecord',
    'adjustmentsOutsideSystemOfRecordQuantity',
    'hoursSinceSourceEvent',
    'expectedSellable',
    'channelSellable',
  ],
];

const LAYOUT = 1;
const CURRENT_FACTS = FACT_LAYOUTS.length - 1;

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyCount = (o: object): number => {
  let n = 0;
  for (const _ in o) n++;
  return n;
};
const optText = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

function packAccount(a: unknown): Json | undefined {
  if (!isObj(a)) return undefined;
  if (a.kind === 'stock' && keyCount(a) === 3) {
    if (typeof a.location === 'string' && typeof a.bucket === 'string') {
      return [a.location, a.bucket];
    }
  } else if (a.kind === 'outside' && keyCount(a) === 2 && typeof a.account === 'string') {
    return a.account;
  }
  return undefined;
}

function unpackAccount(a: Json): Json {
  if (Array.isArray(a)) return { kind: 'stock', location: a[0], bucket: a[1] };
  if (typeof a === 'string') return { kind: 'outside', account: a };
  return a;
}

/** The keys a movement's array holds; a movement with any other key stays an object. */
const EVENT_KEYS = new Set([
  'source',
  'sourceEventId',
  'type',
  'sku',
  'from',
  'to',
  'quantity',
  'occurredAt',
  'recordedAt',
  'reference',
  'reasonCode',
  'rawFromStatus',
  'rawToStatus',
  'origin',
  'pairedWith',
]);

function packPaired(p: unknown): Json | undefined {
  if (p === undefined) return null;
  if (!isObj(p) || keyCount(p) !== 3) return undefined;
  const { source, sourceEventId, method } = p;
  if (typeof source !== 'string' || typeof sourceEventId !== 'string') return undefined;
  return typeof method === 'string' ? [source, sourceEventId, method] : undefined;
}

function packEvent(e: MovementEvent): Json {
  for (const k in e) if (!EVENT_KEYS.has(k)) return e;
  const { source, sourceEventId, type, sku, quantity, occurredAt, recordedAt, origin } = e;
  const { reference, reasonCode, rawFromStatus, rawToStatus } = e;
  const from = packAccount(e.from);
  const to = packAccount(e.to);
  const paired = packPaired(e.pairedWith);
  const plain =
    from === undefined ||
    to === undefined ||
    paired === undefined ||
    typeof source !== 'string' ||
    typeof sourceEventId !== 'string' ||
    typeof type !== 'string' ||
    typeof sku !== 'string' ||
    typeof quantity !== 'number' ||
    typeof occurredAt !== 'string' ||
    typeof recordedAt !== 'string' ||
    !optText(reference) ||
    !optText(reasonCode) ||
    !optText(rawFromStatus) ||
    !optText(rawToStatus) ||
    (origin !== undefined &&
      (!isObj(origin) ||
        keyCount(origin) !== 2 ||
        typeof origin.file !== 'string' ||
        typeof origin.line !== 'number'));
  if (plain) return e;
  const out: Json[] = [
    source,
    sourceEventId,
    type,
    sku,
    from,
    to,
    quantity,
    occurredAt,
    recordedAt === occurredAt ? 0 : recordedAt,
    reference ?? null,
    reasonCode ?? null,
    rawFromStatus ?? null,
    rawToStatus ?? null,
    origin ? origin.file : null,
    origin ? origin.line : null,
    paired,
  ];
  while (out[out.length - 1] === null) out.pop();
  return out;
}

function unpackEvent(a: Json): Json {
  if (!Array.isArray(a)) return a;
  const e: Obj = {
    source: a[0],
    sourceEventId: a[1],
    type: a[2],
    sku: a[3],
    from: unpackAccount(a[4]),
    to: unpackAccount(a[5]),
    quantity: a[6],
    occurredAt: a[7],
    recordedAt: a[8] === 0 ? a[7] : a[8],
  };
  const opt = (key: string, v: unknown) => {
    if (v !== null && v !== undefined) e[key] = v;
  };
  opt('reference', a[9]);
  opt('reasonCode', a[10]);
  opt('rawFromStatus', a[11]);
  opt('rawToStatus', a[12]);
  if (a[13] !== null && a[13] !== undefined) e.origin = { file: a[13], line: a[14] };
  const p = a[15] as Json[] | null | undefined;
  if (p) e.pairedWith = { source: p[0], sourceEventId: p[1], method: p[2] };
  return e;
}

const CANDIDATE_KEYS = ['cause', 'rule', 'fired', 'for', 'against'] as const;

/**
 * A candidate's stored text: a run makes each distinct candidate once, frozen, and shares it
 * between the exceptions it applies to (candidates.ts; 113,075 candidates, 5,735 distinct at 1M
 * keys), so its text is made once too. One that could still change is written each time.
 */
const candidateTexts = new WeakMap<CandidateCause, string>();

function candidateText(c: CandidateCause): string {
  let text = candidateTexts.get(c);
  if (text === undefined) {
    const o = c as unknown as Obj;
    const exact =
      keyCount(o) === CANDIDATE_KEYS.length &&
      CANDIDATE_KEYS.every((k) => o[k] !== undefined) &&
      Array.isArray(c.for) &&
      Array.isArray(c.against);
    text = JSON.stringify(exact ? CANDIDATE_KEYS.map((k) => o[k]) : c);
    if (Object.isFrozen(c) && Object.isFrozen(c.for) && Object.isFrozen(c.against))
      candidateTexts.set(c, text);
  }
  return text;
}

function unpackCandidate(a: Json): Json {
  if (!Array.isArray(a)) return a;
  const o: Obj = {};
  CANDIDATE_KEYS.forEach((k, i) => (o[k] = a[i]));
  return o;
}

function packFacts(f: Facts): Json {
  const names = FACT_LAYOUTS[CURRENT_FACTS]!;
  const o = f as unknown as Obj;
  if (keyCount(o) !== names.length) return f;
  const out: Json[] = [CURRENT_FACTS];
  for (const n of names) {
    const v = o[n];
    if (v === undefined) return f;
    out.push(v);
  }
  return out;
}

function unpackFacts(a: Json): Json {
  if (!Array.isArray(a)) return a;
  const names = FACT_LAYOUTS[a[0] as number];
  if (!names) {
    throw new InputError(
      'UNKNOWN_EVIDENCE_LAYOUT',
      `the evidence's facts are stored in layout ${String(a[0])}, which this version of Tally does not know (saved by a newer one?)`,
    );
  }
  const o: Obj = {};
  names.forEach((n, i) => (o[n] = a[i + 1]));
  return o;
}

/** The text an evidence is stored as (layout 1). */
export function encodeEvidence(evidence: Evidence): string {
  const { history, candidates, facts, ...rest } = evidence;
  const head: Obj = { layout: LAYOUT, ...rest };
  if (Array.isArray(history)) head.history = history.map(packEvent);
  else if (history !== undefined) head.history = history;
  if (facts !== undefined) head.facts = isObj(facts) ? packFacts(facts) : facts;
  let text = JSON.stringify(head);
  if (Array.isArray(candidates)) {
    const parts = candidates.map((c) => (isObj(c) ? candidateText(c) : JSON.stringify(c)));
    text = `${text.slice(0, -1)},"candidates":[${parts.join(',')}]}`;
  } else if (candidates !== undefined) {
    text = `${text.slice(0, -1)},"candidates":${JSON.stringify(candidates)}}`;
  }
  return text;
}

/** The evidence of a stored text's parsed JSON: layout 1 unpacked, any other as it is. */
export function decodeEvidence<T = Evidence>(json: unknown): T {
  if (!isObj(json) || json.layout === undefined) return json as T;
  if (json.layout !== LAYOUT) {
    throw new InputError(
      'UNKNOWN_EVIDENCE_LAYOUT',
      `the evidence is stored in layout ${JSON.stringify(json.layout)}, which this version of Tally does not know (saved by a newer one?)`,
    );
  }
  const { layout: _, history, candidates, facts, ...rest } = json;
  const out: Obj = { ...rest };
  if (history !== undefined)
    out.history = Array.isArray(history) ? history.map(unpackEvent) : history;
  if (facts !== undefined) out.facts = unpackFacts(facts);
  if (candidates !== undefined) {
    out.candidates = Array.isArray(candidates) ? candidates.map(unpackCandidate) : candidates;
  }
  return out as T;
}

/** A stored evidence text read back (JSON.parse, then decodeEvidence). */
export function readEvidence<T = Evidence>(text: string): T {
  return decodeEvidence<T>(JSON.parse(text));
}
