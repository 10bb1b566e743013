/** Compiles the Accounts document: the journal's account mapping. */
import type { Accounts } from './types.ts';
import type { Loaded } from './docs.ts';
import { declaredAt } from './declared-at.ts';

export function compileAccounts(at: Loaded<'Accounts'> | undefined): Accounts | undefined {
  if (!at) return undefined;
  const d = at.doc;
  return {
    ...declaredAt(at, []),
    ...(d.currency !== undefined ? { currency: d.currency } : {}),
    inventoryAssetAccount: d.inventoryAssetAccount,
    adjustmentAccounts: new Map(Object.entries(d.adjustmentAccounts ?? {})),
    ...(d.defaultAdjustmentAccount !== undefined
      ? { defaultAdjustmentAccount: d.defaultAdjustmentAccount }
      : {}),
  };
}

/** The adjustment account for a reason code, or undefined when the rules name none. */
export function adjustmentAccountFor(accounts: Accounts, reasonCode: string): string | undefined {
  return accounts.adjustmentAccounts.get(reasonCode) ?? accounts.defaultAdjustmentAccount;
}
