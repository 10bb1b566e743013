/** Expected positions per (sku, compare location, bucket) as of T, from the ledger replay. */
import type { Intake } from '../normalize/intake.ts';
import { packKey } from '../model/keys.ts';
import { accountBucket, accountLocation, OUTSIDE } from './accounts.ts';
import { replay } from './project.ts';

export type Expected = {
  /** packed compare key → expected quantity (base units) */
  expected: Map<number, number>;
  /** compare location id → time of the opening balance of its system of record */
  openingAt: Map<number, number>;
};

export function projectExpected(intake: Intake, asOfMs: number, skus?: Set<number>): Expected {
  const expected = new Map<number, number>();
  const { openingAt } = replay(intake, asOfMs, skus, (sku, account, delta) => {
    if (account < 0) return;
    const key = packKey(sku, intake.compareOf(accountLocation(account)), accountBucket(account));
    expected.set(key, (expected.get(key) ?? 0) + delta);
  });
  return { expected, openingAt };
}

/**
 * Every account's balance as readable labels ("SKU-1 WH-EAST sellable", "SKU-1 customer"),
 * movements only (openings excluded), so double entry can be checked: they sum to zero.
 */
export function movementBalances(intake: Intake, asOfMs: number): Map<string, number> {
  const out = new Map<string, number>();
  replay(intake, asOfMs, undefined, (sku, account, delta, event) => {
    if (event < 0) return;
    const name =
      account < 0
        ? `${intake.skus.value(sku)} ${OUTSIDE[-1 - account]}`
        : `${intake.skus.value(sku)} ${intake.locations.value(accountLocation(account))} ${accountBucket(account)}`;
    out.set(name, (out.get(name) ?? 0) + delta);
  });
  return out;
}
