/** Cross-file checks of Tolerances, TimingWindows and Roles. */
import { quoteList, report, uniqueNames } from './context.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';
import type { Loaded } from '../docs.ts';
import type { RuleKind } from '../kinds.ts';
import { unknownLocation } from './sources.ts';

type Refs = { location?: string[]; source?: string[]; skuClass?: string[] };

/** Reports references to undeclared locations, sources and SKU classes at `here`. */
function checkRefs(
  ctx: CheckContext,
  names: DeclaredNames,
  at: Loaded<RuleKind>,
  here: (string | number)[],
  refs: { field: string | number; kind: keyof Refs; value: string }[],
): void {
  for (const { field, kind, value } of refs) {
    const path = [...here, field];
    if (kind === 'location' && names.locations && !names.locations.has(value)) {
      report(ctx, at, path, 'UNKNOWN_LOCATION', unknownLocation(value));
    } else if (kind === 'source' && names.sources && !names.sources.has(value)) {
      report(
        ctx,
        at,
        path,
        'UNKNOWN_SOURCE',
        `unknown source "${value}" (sources: ${quoteList(names.sources)})`,
      );
    } else if (kind === 'skuClass' && names.skuClasses && !names.skuClasses.has(value)) {
      const msg = `unknown SKU class "${value}" (units.yaml declares ${quoteList(names.skuClasses)})`;
      report(ctx, at, path, 'UNKNOWN_SKU_CLASS', msg);
    }
  }
}

export function checkTolerances(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.Tolerances[0];
  if (!at) return;
  const entries = at.doc.tolerances;
  uniqueNames(
    ctx,
    entries.flatMap((t, i) =>
      t.name ? [{ at, segments: ['tolerances', i, 'name'], name: t.name, what: 'tolerance' }] : [],
    ),
  );
  const selectors = new Map<string, number>();
  entries.forEach((t, i) => {
    const m = t.match ?? {};
    const here = ['tolerances', i, 'match'];
    checkRefs(ctx, names, at, here, [
      ...(m.location ? [{ field: 'location', kind: 'location' as const, value: m.location }] : []),
      ...(m.skuClass ? [{ field: 'skuClass', kind: 'skuClass' as const, value: m.skuClass }] : []),
    ]);
    (m.sources ?? []).forEach((s, k) =>
      checkRefs(ctx, names, at, [...here, 'sources'], [{ field: k, kind: 'source', value: s }]),
    );
    if (m.sources && m.sources[0] === m.sources[1]) {
      report(
        ctx,
        at,
        [...here, 'sources'],
        'BAD_VALUE',
        'a source pair needs two different sources',
      );
    }
    if (t.absolute === undefined && t.percent === undefined && t.value === undefined) {
      report(
        ctx,
        at,
        ['tolerances', i],
        'BAD_VALUE',
        'sets no limit: give at least one of absolute, percent, value',
      );
    }
    if (t.combine !== undefined && (t.absolute === undefined || t.percent === undefined)) {
      const msg = `combine: ${t.combine} chooses between absolute and percent; give both`;
      report(ctx, at, ['tolerances', i, 'combine'], 'BAD_VALUE', msg);
    }
    const key = JSON.stringify([
      m.sku,
      m.skuClass,
      m.location,
      m.bucket,
      [...(m.sources ?? [])].sort(),
    ]);
    const first = selectors.get(key);
    if (first !== undefined) {
      const msg = `selects the same differences as entry ${first + 1}, which is listed first and always wins`;
      report(ctx, at, ['tolerances', i], 'BAD_VALUE', msg);
    } else {
      selectors.set(key, i);
    }
  });
}

export function checkTiming(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.TimingWindows[0];
  if (!at) return;
  const pairs = new Set<string>();
  (at.doc.postingLag.pairs ?? []).forEach((p, i) => {
    const here = ['postingLag', 'pairs', i];
    checkRefs(ctx, names, at, here, [
      { field: 'from', kind: 'source', value: p.from },
      { field: 'to', kind: 'source', value: p.to },
    ]);
    const key = `${p.from}→${p.to}`;
    if (pairs.has(key))
      report(ctx, at, here, 'DUPLICATE_NAME', `posting lag ${key} is declared twice`);
    pairs.add(key);
  });
  (at.doc.inTransit.windows ?? []).forEach((w, i) => {
    const here = ['inTransit', 'windows', i];
    checkRefs(ctx, names, at, here, [
      ...(w.from ? [{ field: 'from', kind: 'location' as const, value: w.from }] : []),
      ...(w.to ? [{ field: 'to', kind: 'location' as const, value: w.to }] : []),
    ]);
  });
}

export function checkRoles(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.Roles[0];
  if (!at) return;
  const seen = new Set<string>();
  at.doc.grants.forEach((g, i) => {
    const here = ['grants', i];
    (g.locations ?? []).forEach((loc, k) =>
      checkRefs(
        ctx,
        names,
        at,
        [...here, 'locations'],
        [{ field: k, kind: 'location', value: loc }],
      ),
    );
    if (g.approvalLimitValue !== undefined && g.role !== 'approver') {
      const msg = `approvalLimitValue only applies to the approver role (this grant is ${g.role})`;
      report(ctx, at, [...here, 'approvalLimitValue'], 'BAD_VALUE', msg);
    }
    const key = `${g.subject}|${g.role}|${[...(g.locations ?? [])].sort().join(',')}`;
    if (seen.has(key))
      report(
        ctx,
        at,
        here,
        'DUPLICATE_NAME',
        `${g.subject} is granted ${g.role} twice for the same locations`,
      );
    seen.add(key);
  });
}
