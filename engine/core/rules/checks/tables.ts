/** Cross-file checks of StatusMap and Units. */
import { currencyOf } from '../../model/money.ts';
import { quoteList, report } from './context.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';
import type { UnitSpecDoc } from '../docs.ts';

export function checkStatusMaps(ctx: CheckContext, names: DeclaredNames): void {
  const seen = new Map<string, string>();
  for (const at of ctx.docs.StatusMap) {
    for (const source of Object.keys(at.doc.statusMaps)) {
      const first = seen.get(source);
      if (first) {
        // one map per source, or a raw status could end up in two buckets
        const msg = `source "${source}" already has a status map (in ${first}); keep one map per source`;
        report(ctx, at, ['statusMaps', source], 'DUPLICATE_NAME', msg, true);
      }
      seen.set(source, at.rf.file);
      if (names.sources && !names.sources.has(source)) {
        const msg = `status map for unknown source "${source}" (sources: ${quoteList(names.sources)})`;
        report(ctx, at, ['statusMaps', source], 'UNKNOWN_SOURCE', msg, true);
      }
    }
  }
}

export function checkUnits(ctx: CheckContext, names: DeclaredNames): void {
  const at = ctx.docs.Units[0];
  if (!at) return;
  const u = at.doc;
  if (u.currency !== undefined && currencyOf(u.currency) === undefined) {
    const msg = `"${u.currency}" is not an ISO 4217 currency code (e.g. USD, EUR, JPY)`;
    report(ctx, at, ['currency'], 'BAD_VALUE', msg);
  }
  const journal = ctx.docs.Accounts[0]?.doc.currency;
  if (u.currency !== undefined && journal !== undefined && journal !== u.currency) {
    const msg = `"${u.currency}" differs from Accounts currency "${journal}"; values and the journal must be in one currency`;
    report(ctx, at, ['currency'], 'BAD_VALUE', msg);
  }
  const specs: [string, string, UnitSpecDoc][] = [
    ...Object.entries(u.classes ?? {}).map(([k, v]): [string, string, UnitSpecDoc] => [
      'classes',
      k,
      v,
    ]),
    ...Object.entries(u.skus ?? {}).map(([k, v]): [string, string, UnitSpecDoc] => ['skus', k, v]),
  ];
  for (const [group, name, spec] of specs) {
    for (const [unit, factor] of Object.entries(spec.conversions ?? {})) {
      const here = [group, name, 'conversions', unit];
      if (!Number.isInteger(factor)) {
        const msg = `1 ${unit} = ${factor} ${spec.baseUnit} does not land on a whole ${spec.baseUnit}; conversions must be whole numbers of the base unit`;
        report(ctx, at, here, 'UNIT_NOT_WHOLE', msg);
      } else if (unit === spec.baseUnit && factor !== 1) {
        report(ctx, at, here, 'BAD_VALUE', `the base unit "${unit}" must convert with factor 1`);
      }
      if (u.aliases && unit in u.aliases) {
        const msg = `"${unit}" is an alias of "${u.aliases[unit]}"; convert the unit it stands for`;
        report(ctx, at, here, 'BAD_VALUE', msg, true);
      }
    }
  }
  const targets = new Set(names.units ?? []);
  for (const [alias, target] of Object.entries(u.aliases ?? {})) {
    if (u.aliases?.[target] !== undefined) {
      const msg = `alias "${alias}" points at another alias "${target}"; point it at a unit`;
      report(ctx, at, ['aliases', alias], 'BAD_VALUE', msg);
    } else if (!targets.has(target)) {
      report(
        ctx,
        at,
        ['aliases', alias],
        'UNKNOWN_UNIT',
        `alias "${alias}" names unknown unit "${target}"`,
      );
    }
  }
}
