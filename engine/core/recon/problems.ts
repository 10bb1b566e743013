/**
 * One problem, one exception. The exceptions of one SKU × location in a run are one problem:
 * the two buckets of a status move, a channel mirroring the book's mistake, the sources that
 * inherit the same missing posting. One comparison is the primary (its fingerprint is the
 * problem's identity, so the lifecycle and the Slack message follow it); the others are kept,
 * counted as comparisons, and listed on the primary's evidence as linked.
 */
import { BUCKETS, isChannelRole } from '../model/types.ts';
import type { KeyResult, LinkedComparison } from './types.ts';

/**
 * Who is most likely the origin of a shared difference: the system of record (its own count),
 * then the ERP (channels and others sync from it), then other systems, channels last (they
 * mirror what they are fed). Ties: the larger difference, then bucket and source order.
 */
function roleRank(r: KeyResult): number {
  const f = r.evidence?.facts;
  if (!f) return 2;
  if (f.isSystemOfRecord) return 0;
  if (f.sourceRole === 'erp') return 1;
  return isChannelRole(f.sourceRole) ? 3 : 2;
}

function comparePrimary(a: KeyResult, b: KeyResult): number {
  return (
    roleRank(a) - roleRank(b) ||
    Math.abs(b.variance) - Math.abs(a.variance) ||
    BUCKETS.indexOf(a.bucket) - BUCKETS.indexOf(b.bucket) ||
    a.source.localeCompare(b.source)
  );
}

const causeOf = (r: KeyResult) => (r.outcome.type === 'exception' ? r.outcome.rootCause : '');

function linkedOf(r: KeyResult): LinkedComparison {
  return {
    source: r.source,
    bucket: r.bucket,
    cause: causeOf(r),
    variance: r.variance,
    expected: r.evidence?.expected ?? 0,
    quantity: r.evidence?.quantities[r.source] ?? 0,
    fingerprint: r.fingerprint ?? '',
  };
}

/** Marks every exception with its problem; returns how many problems there are. */
export function groupProblems(results: KeyResult[]): number {
  const groups = new Map<string, KeyResult[]>();
  for (const r of results) {
    if (r.outcome.type !== 'exception') continue;
    const id = `${r.sku}\u0000${r.location}`;
    const list = groups.get(id);
    if (list) list.push(r);
    else groups.set(id, [r]);
  }
  for (const members of groups.values()) {
    const [primary, ...linked] = [...members].sort(comparePrimary);
    const id = primary!.fingerprint ?? '';
    primary!.problem = { id, primary: true };
    for (const r of linked) r.problem = { id, primary: false };
    if (primary!.evidence && linked.length > 0) primary!.evidence.linked = linked.map(linkedOf);
  }
  return groups.size;
}

/** The exceptions that stand for a problem (the primaries; ungrouped results count as one). */
export const isPrimary = (r: KeyResult) =>
  r.outcome.type === 'exception' && r.problem?.primary !== false;
