/**
 * `tally pilot compare`: the team's list beside Tally's stored results for the same as-of —
 * found by both, only by Tally (with its evidence), only by the team (with what Tally saw for
 * the key and why it did not raise it), cause agreement, value covered.
 */
import type { Knex } from 'knex';
import { resolveTolerance } from '../../core/rules/tolerance.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import { teamUnits, type Baseline } from './baseline.ts';
import { causeOfReason } from './reasons.ts';
import { resolveLocation, resolveSku } from './resolve.ts';
import {
  comparedLocations,
  pickRun,
  runResults,
  seenSkus,
  storedExceptions,
  type StoredResult,
  type StoredRun,
} from './stored.ts';
import { summarize } from './summary.ts';
import { findingsOf } from './findings.ts';
import type {
  BothItem,
  CauseAgreement,
  CompareReport,
  TallyFinding,
  TeamItem,
  TeamOnlyItem,
} from './types.ts';

export type CompareRules = Pick<Ruleset, 'mappings' | 'classification' | 'tolerances'> &
  Partial<Pick<Ruleset, 'accounts'>>;

const keyOf = (sku: string, location: string) => `${sku}\u0000${location}`;

/**
 * The data folder read as of the run (`--data`): Tally keeps only differences, so whether a SKU
 * exists and what the sources said about a key that matched come from the sources themselves.
 */
export type DataView = {
  knowsSku(sku: string): boolean;
  /** What the sources reported for the key, in words; null when nothing was compared. */
  saw(sku: string, location: string): Promise<string | null>;
};

export type CompareOptions = {
  asOf?: string;
  /** Built for the chosen run's as-of (the CLI reads the data folder through the connectors). */
  data?: (run: StoredRun) => Promise<DataView>;
};

export async function comparePilot(
  db: Knex,
  ruleset: CompareRules,
  baseline: Baseline,
  options: CompareOptions = {},
): Promise<CompareReport> {
  const run = await pickRun(db, options.asOf);
  const results = await runResults(db, run.id);
  const exceptionRows = results.filter((r) => r.outcome === 'exception');
  const fingerprints = exceptionRows.flatMap((r) => (r.fingerprint ? [r.fingerprint] : []));
  const findings = findingsOf(exceptionRows, await storedExceptions(db, { fingerprints }));
  const data = options.data ? await options.data(run) : undefined;
  const team = await teamItems(db, ruleset, baseline, data);
  const both: BothItem[] = [];
  const teamOnly: TeamOnlyItem[] = [];
  const ctx = await teamOnlyContext(db, run, results, team);
  for (const item of team) {
    const found = findings.get(keyOf(item.sku, item.location));
    if (found) both.push({ team: item, tally: found, agreement: agreement(item, found) });
    else teamOnly.push(await whyNot(item, ruleset, ctx, data));
  }
  const teamKeys = new Set(team.map((t) => keyOf(t.sku, t.location)));
  const tallyOnly = [...findings.values()]
    .filter((f) => !teamKeys.has(keyOf(f.sku, f.location)))
    .sort((a, b) => b.valueMinor - a.valueMinor || a.sku.localeCompare(b.sku));
  return {
    baseline: {
      file: baseline.file,
      columns: baseline.columns as Record<string, string>,
      rows: baseline.rows.length,
      problems: baseline.problems,
    },
    run,
    requestedAsOf: options.asOf ?? null,
    currency: ruleset.accounts?.currency ?? 'USD',
    summary: summarize(team.length, findings.size, both, tallyOnly, teamOnly),
    both,
    tallyOnly,
    teamOnly,
  };
}

function agreement(team: TeamItem, tally: TallyFinding): CauseAgreement {
  if (team.reason === null) return 'no reason';
  if (team.cause === null) return 'unrecognised reason';
  return tally.causes.includes(team.cause) ? 'agree' : 'differ';
}

/** The team's rows, resolved to Tally's keys and merged per key (a list may split a key). */
async function teamItems(
  db: Knex,
  ruleset: CompareRules,
  baseline: Baseline,
  data: DataView | undefined,
): Promise<TeamItem[]> {
  const written = [...new Set(baseline.rows.map((r) => r.sku))];
  const aliased = written.map((s) => resolveSku(ruleset, s, new Set())?.value ?? s);
  const known = await seenSkus(db, [...new Set([...written, ...aliased])]);
  for (const sku of [...written, ...aliased]) if (data?.knowsSku(sku)) known.add(sku);
  const codes = causeCodes(ruleset);
  const items = new Map<string, TeamItem>();
  for (const row of baseline.rows) {
    const sku = resolveSku(ruleset, row.sku, known);
    const location = resolveLocation(ruleset, row.location);
    const key = keyOf(sku?.value ?? row.sku, location?.value ?? row.location);
    const reason = row.reason ?? null;
    const line = { line: row.line, units: teamUnits(row) ?? null, reason };
    const item = items.get(key);
    if (item) {
      item.lines.push(line);
      item.units += line.units ?? 0;
      if (reason && !item.reason?.includes(reason))
        item.reason = item.reason ? `${item.reason}; ${reason}` : reason;
      item.cause ??= reason ? causeOfReason(reason, codes) : null;
      continue;
    }
    const resolved = { sku: sku?.value ?? row.sku, location: location?.value ?? row.location };
    const differs = resolved.sku !== row.sku || resolved.location !== row.location;
    items.set(key, {
      ...resolved,
      ...(differs ? { written: { sku: row.sku, location: row.location } } : {}),
      lines: [line],
      units: line.units ?? 0,
      reason,
      cause: reason ? causeOfReason(reason, codes) : null,
      ...(sku ? {} : { unknownSku: true }),
      ...(location ? {} : { unknownLocation: true }),
    } as TeamItem);
  }
  return [...items.values()];
}

function causeCodes(ruleset: CompareRules): Set<string> {
  const codes = new Set<string>();
  for (const r of ruleset.classification.rules) {
    if (r.outcome.type === 'exception') codes.add(r.outcome.rootCause);
    if (r.outcome.type === 'explained') codes.add(r.outcome.code);
  }
  return codes;
}

type TeamOnlyContext = {
  run: StoredRun;
  explained: Map<string, StoredResult[]>;
  earlier: Map<string, { id: number; cause: string; resolvedAt: string | null }>;
  reported: Set<string>;
};

async function teamOnlyContext(
  db: Knex,
  run: StoredRun,
  results: StoredResult[],
  team: TeamItem[],
): Promise<TeamOnlyContext> {
  const explained = new Map<string, StoredResult[]>();
  for (const r of results) {
    if (r.outcome !== 'explained') continue;
    const k = keyOf(r.sku, r.location);
    explained.set(k, [...(explained.get(k) ?? []), r]);
  }
  const earlier = new Map<string, { id: number; cause: string; resolvedAt: string | null }>();
  const skus = [...new Set(team.map((t) => t.sku))];
  for (const e of await storedExceptions(db, { skus })) {
    if (e.state !== 'resolved') continue;
    earlier.set(keyOf(e.sku, e.location), {
      id: e.id,
      cause: e.causes[0] ?? '',
      resolvedAt: e.resolvedAt,
    });
  }
  return { run, explained, earlier, reported: await comparedLocations(db, run.id) };
}

async function whyNot(
  item: TeamItem,
  ruleset: CompareRules,
  ctx: TeamOnlyContext,
  data: DataView | undefined,
): Promise<TeamOnlyItem> {
  const flags = item as TeamItem & { unknownSku?: boolean; unknownLocation?: boolean };
  const run = ctx.run.id.slice(0, 8);
  if (flags.unknownSku) {
    const saw = data
      ? `SKU ${item.sku} is unknown to Tally: no source reports it in the data folder as of the run, and no alias names it`
      : `SKU ${item.sku} is unknown to Tally: not in the rules' items or aliases, nor in any stored position, event or result (--data also looks in the sources)`;
    return { team: strip(item), why: 'unknown sku', saw, valueMinor: null };
  }
  if (flags.unknownLocation) {
    const saw = `"${item.location}" is neither a location of the rules nor a location code of any source`;
    return { team: strip(item), why: 'unknown location', saw, valueMinor: null };
  }
  const k = keyOf(item.sku, item.location);
  const explained = ctx.explained.get(k);
  if (explained) {
    const parts = explained.map(
      (r) =>
        `${r.code} by ${ruleOf(ruleset, r.code)} (${r.source} ${r.bucket}, variance ${signed(r.variance)})`,
    );
    const valueMinor = Math.max(...explained.map((r) => r.valueAtRiskMinor));
    return {
      team: strip(item),
      why: 'explained',
      saw: `explained in run ${run}: ${parts.join('; ')}`,
      valueMinor,
    };
  }
  const earlier = ctx.earlier.get(k);
  if (earlier) {
    const when = earlier.resolvedAt ? ` at ${earlier.resolvedAt}` : '';
    const saw = `raised as exception #${earlier.id} (${earlier.cause}) and resolved by a run${when}: the difference was gone by run ${run}`;
    return { team: strip(item), why: 'resolved earlier', saw, valueMinor: null };
  }
  if (!ctx.reported.has(item.location)) {
    const saw = `no source reported ${item.location} in run ${run}, so nothing there was compared`;
    return { team: strip(item), why: 'location not reported', saw, valueMinor: null };
  }
  const skuClass = ruleset.mappings.items.get(item.sku)?.skuClass ?? '';
  const tolerance = resolveTolerance(ruleset.tolerances, {
    sku: item.sku,
    skuClass,
    location: item.location,
    bucket: 'sellable',
    sources: ['', ''],
  });
  const limit = tolerance
    ? ` (tolerance ${[tolerance.absolute !== undefined ? `${tolerance.absolute} units` : '', tolerance.percent !== undefined ? `${tolerance.percent} %` : ''].filter(Boolean).join(' / ') || 'by value'}, ${tolerance.file}:${tolerance.line})`
    : '';
  const seen = data ? await data.saw(item.sku, item.location) : null;
  if (data && seen === null) {
    const saw = `no source reports ${item.sku} at ${item.location} as of the run, so nothing was compared`;
    return { team: strip(item), why: 'location not reported', saw, valueMinor: null };
  }
  const saw = `compared in run ${run}: no difference beyond tolerance${limit}${seen ? `; the sources: ${seen}` : ''}`;
  return { team: strip(item), why: 'within tolerance', saw, valueMinor: null };
}

function strip(item: TeamItem): TeamItem {
  const {
    unknownSku: _s,
    unknownLocation: _l,
    ...rest
  } = item as TeamItem & {
    unknownSku?: boolean;
    unknownLocation?: boolean;
  };
  return rest;
}

function ruleOf(ruleset: CompareRules, code: string): string {
  const rule = ruleset.classification.rules.find(
    (r) => r.outcome.type === 'explained' && r.outcome.code === code,
  );
  return rule ? `rule ${rule.name} (${rule.file}:${rule.line})` : 'a rule';
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export type { TallyFinding };
