/**
 * From an approved correction to the request a connector understands: which source is the
 * system of record to write to, in that source's own vocabulary (its sku alias, its location
 * code, the raw status that holds the bucket) and the quantity the approver saw there.
 */
import type { Ruleset, SourceDef } from '../../engine/core/rules/types.ts';
import type { WriteBackRequest } from '../types.ts';
import { bookOf, booksOf } from '../../engine/core/rules/books.ts';

/** What applyCorrection writes into the outbox row of kind 'writeback'. */
export type WritebackPayload = {
  correctionId: number;
  exceptionId: number;
  system: string;
  sku: string;
  location: string;
  bucket: string;
  deltaQuantity: number;
  reasonCode: string;
  idempotencyKey: string;
  ledgerEventId: number;
};

export type TargetRules = Pick<Ruleset, 'sources' | 'statusMaps' | 'mappings' | 'books'>;

export function parsePayload(text: string): WritebackPayload {
  const p = JSON.parse(text) as Partial<WritebackPayload>;
  const missing = (
    ['correctionId', 'exceptionId', 'system', 'sku', 'idempotencyKey'] as const
  ).filter((k) => p[k] === undefined || p[k] === null);
  if (missing.length) throw new Error(`write-back payload lacks ${missing.join(', ')}`);
  return p as WritebackPayload;
}

/**
 * The correction names the source whose books it changes; when that is not a declared source
 * (a free-text system), the location's system of record for physical movements is used.
 */
export function targetSource(rules: TargetRules, p: WritebackPayload): SourceDef | undefined {
  const named = rules.sources.get(p.system);
  if (named) return named;
  const book = bookOf(booksOf(rules), p.location, 'physical_movements');
  return book === undefined ? undefined : rules.sources.get(book);
}

function reverseLookup(map: Map<string, string> | undefined, canonical: string): string {
  for (const [code, value] of map ?? []) if (value === canonical) return code;
  return canonical;
}

/** The first raw status the source maps to the bucket (status maps list the primary first). */
export function rawStatusFor(rules: TargetRules, source: string, bucket: string): string | null {
  for (const [raw, b] of rules.statusMaps.get(source) ?? []) if (b === bucket) return raw;
  return null;
}

export function buildRequest(
  rules: TargetRules,
  source: SourceDef,
  p: WritebackPayload,
  seenQuantity: number | undefined,
): WriteBackRequest | { reason: string } {
  const rawStatus = rawStatusFor(rules, source.id, p.bucket);
  if (rawStatus === null) {
    return { reason: `source ${source.id} has no status mapped to the ${p.bucket} bucket` };
  }
  return {
    idempotencyKey: p.idempotencyKey,
    sku: reverseLookup(rules.mappings.skuAliases.get(source.id), p.sku),
    location: reverseLookup(rules.mappings.locationCodes.get(source.id), p.location),
    rawStatus,
    delta: p.deltaQuantity,
    // NaN when unknown: a compare-and-swap connector refuses it rather than guess
    expectedCurrent: seenQuantity ?? Number.NaN,
    reasonCode: p.reasonCode,
    reference: `tally:exception:${p.exceptionId}:correction:${p.correctionId}`,
  };
}
