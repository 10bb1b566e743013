/**
 * Cross-file checks of Accounts: every key is a reason code of the catalogue, and every reason
 * code a correction can carry (the whole catalogue: the Slack proposal offers each) has an
 * adjustment account, listed or through `defaultAdjustmentAccount`, so no journal line at close
 * can lack one.
 */
import { currencyOf } from '../../model/money.ts';
import { REASONS, REASONS_BY_CODE } from '../../model/reasons.ts';
import { quoteList, report, single } from './context.ts';
import type { CheckContext } from './context.ts';

export function checkAccounts(ctx: CheckContext): void {
  const at = single(ctx, 'Accounts');
  if (!at) return;
  const currency = at.doc.currency;
  if (currency !== undefined && currencyOf(currency) === undefined)
    report(
      ctx,
      at,
      ['currency'],
      'BAD_VALUE',
      `"${currency}" is not an ISO 4217 currency code (e.g. USD, EUR, JPY)`,
    );
  const listed = at.doc.adjustmentAccounts ?? {};
  for (const code of Object.keys(listed)) {
    if (REASONS_BY_CODE.has(code)) continue;
    report(
      ctx,
      at,
      ['adjustmentAccounts', code],
      'UNKNOWN_REASON_CODE',
      `unknown reason code "${code}" (the catalogue: ${quoteList(REASONS.map((r) => r.code))})`,
      true,
    );
  }
  if (at.doc.defaultAdjustmentAccount !== undefined) return;
  const missing = REASONS.map((r) => r.code).filter((c) => listed[c] === undefined);
  if (missing.length === 0) return;
  report(
    ctx,
    at,
    at.doc.adjustmentAccounts ? ['adjustmentAccounts'] : ['kind'],
    'MISSING_ACCOUNT',
    `no adjustment account for reason code${missing.length === 1 ? '' : 's'} ${quoteList(missing)}: ` +
      'list each under adjustmentAccounts or set defaultAdjustmentAccount',
    true,
  );
}
