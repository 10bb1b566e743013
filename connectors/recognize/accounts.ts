/**
 * The Accounts file `tally init` proposes for an ERPNext book: ERPNext's own default stock
 * accounts, named with the company abbreviation its warehouse names carry ("Stores - HP" →
 * "Stock In Hand - HP", "Stock Adjustment - HP"). `tally close` posts every correction between
 * these two until someone splits the adjustments by reason code. Without an ERPNext source, or
 * with warehouses of several companies, nothing is proposed: an account name must not be made up.
 */
import type { Plan } from './plan.ts';

const ABBREVIATION = /\s-\s([A-Za-z0-9]{1,10})$/;

export function erpnextAbbreviation(plan: Plan): string | undefined {
  const found = new Set<string>();
  for (const s of plan.sources) {
    if (s.connector !== 'erpnext' || s.disabled) continue;
    for (const code of plan.locationCodes.get(s.id)?.keys() ?? []) {
      const m = ABBREVIATION.exec(code);
      if (m) found.add(m[1]!);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

export function accountsYaml(plan: Plan, head: (kind: string, intro: string[]) => string) {
  const abbr = erpnextAbbreviation(plan);
  if (!abbr) return undefined;
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return (
    head('Accounts', [
      `Where \`tally close\` posts corrections in the month-end journal: ERPNext's default stock`,
      `accounts of company ${abbr} (its warehouses are named "… - ${abbr}"). Check them against the chart`,
      'of accounts, and add adjustmentAccounts per reason code to split the adjustments.',
    ]) +
    `inventoryAssetAccount: ${q(`Stock In Hand - ${abbr}`)}\n` +
    `defaultAdjustmentAccount: ${q(`Stock Adjustment - ${abbr}`)}\n` +
    'adjustmentAccounts: {}\n'
  );
}
