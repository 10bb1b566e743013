/**
 * Impact preview: the same data decided by a base and a working ruleset, compared per
 * comparison (sku × location × bucket × source). A run lists every non-match, so a comparison
 * missing from one side matched there.
 */
import type { KeyResult, RunResult } from '../../core/recon/types.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import { codeOf, receiversOf } from './labels.ts';

export type Side = { run: RunResult; ruleset: Ruleset };

export type Decision = {
  outcome: 'match' | 'explained' | 'exception';
  /** Root cause (exception), explanation code (explained) or MATCH. */
  code: string;
  severity?: string;
  receivers: string[];
  variance: number;
};

export type ChangeKind = 'added' | 'removed' | 'changed' | 'reclassified';

export type Change = {
  kind: ChangeKind;
  sku: string;
  location: string;
  bucket: string;
  source: string;
  base: Decision;
  head: Decision;
  /** What differs for `changed`: outcome, severity, cause, route. */
  fields: string[];
};

export type OwnerImpact = {
  owner: string;
  added: number;
  removed: number;
  changed: number;
  samples: Change[];
};

export type ImpactReport = {
  asOf: string;
  base: { version: string; exceptions: number; explained: number };
  head: { version: string; exceptions: number; explained: number };
  totals: Record<ChangeKind, number>;
  owners: OwnerImpact[];
  changes: Change[];
};

const MATCH: Decision = { outcome: 'match', code: 'MATCH', receivers: [], variance: 0 };

const idOf = (k: { sku: string; location: string; bucket: string; source: string }) =>
  `${k.sku}\u0000${k.location}\u0000${k.bucket}\u0000${k.source}`;

function decisionOf(ruleset: Ruleset, k: KeyResult): Decision {
  const d: Decision = {
    outcome: k.outcome.type,
    code: codeOf(k),
    receivers: receiversOf(ruleset, { ...k, facts: k.evidence?.facts }),
    variance: k.variance,
  };
  if (k.outcome.type === 'exception') d.severity = k.outcome.severity;
  return d;
}

function differing(b: Decision, h: Decision): string[] {
  const fields: string[] = [];
  if (b.outcome !== h.outcome) fields.push('outcome');
  if ((b.severity ?? '') !== (h.severity ?? '')) fields.push('severity');
  if (b.code !== h.code) fields.push(b.outcome === 'exception' ? 'cause' : 'code');
  if (b.receivers.join(',') !== h.receivers.join(',')) fields.push('route');
  return fields;
}

function kindOf(b: Decision, h: Decision, fields: string[]): ChangeKind | null {
  if (fields.length === 0) return null;
  const [be, he] = [b.outcome === 'exception', h.outcome === 'exception'];
  if (he && !be) return 'added';
  if (be && !he) return 'removed';
  return be ? 'changed' : 'reclassified';
}

/** Every comparison whose decision differs, sorted by sku, location, bucket, source. */
export function compareRuns(base: Side, head: Side, opts: { samples?: number } = {}): ImpactReport {
  const byId = new Map<string, { k: KeyResult; b?: Decision; h?: Decision }>();
  for (const k of base.run.results) byId.set(idOf(k), { k, b: decisionOf(base.ruleset, k) });
  for (const k of head.run.results) {
    const entry = byId.get(idOf(k)) ?? { k };
    entry.h = decisionOf(head.ruleset, k);
    byId.set(idOf(k), entry);
  }
  const changes: Change[] = [];
  for (const { k, b = MATCH, h = MATCH } of byId.values()) {
    const fields = differing(b, h);
    const kind = kindOf(b, h, fields);
    if (!kind) continue;
    const { sku, location, bucket, source } = k;
    changes.push({ kind, sku, location, bucket, source, base: b, head: h, fields });
  }
  changes.sort((x, y) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0));
  const totals = { added: 0, removed: 0, changed: 0, reclassified: 0 };
  for (const c of changes) totals[c.kind]++;
  return {
    asOf: head.run.asOf,
    base: sideSummary(base.run),
    head: sideSummary(head.run),
    totals,
    owners: byOwner(changes, opts.samples ?? 5),
    changes,
  };
}

function sideSummary(run: RunResult) {
  const count = (t: string) => run.results.filter((r) => r.outcome.type === t).length;
  return {
    version: run.rulesetVersion.label,
    exceptions: count('exception'),
    explained: count('explained'),
  };
}

/**
 * The owners a change concerns: every receiver the exception is routed to on either side
 * (a removed exception concerns whoever was told before; a re-routed one, both teams).
 */
export function ownersOfChange(c: Change): string[] {
  const names = [...c.head.receivers, ...c.base.receivers];
  return [...new Set(names)];
}

function byOwner(changes: Change[], samples: number): OwnerImpact[] {
  const owners = new Map<string, OwnerImpact>();
  for (const c of changes) {
    if (c.kind === 'reclassified') continue;
    for (const owner of ownersOfChange(c)) {
      let o = owners.get(owner);
      if (!o) owners.set(owner, (o = { owner, added: 0, removed: 0, changed: 0, samples: [] }));
      o[c.kind]++;
      if (o.samples.length < samples) o.samples.push(c);
    }
  }
  return [...owners.values()].sort((a, b) => (a.owner < b.owner ? -1 : 1));
}
