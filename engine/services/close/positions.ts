/**
 * The period snapshot of positions: the ledger projected to the period's close, per SKU ×
 * location (at the compare level) × bucket, valued at the item master's unit cost. Keys the
 * ledger knows but that net to zero are left out; a SKU without a unit cost is kept, valued at
 * zero and counted, so a missing cost shows instead of passing for a worthless item.
 */
import type { Intake } from '../../core/normalize/intake.ts';
import { projectExpected } from '../../core/ledger/expected.ts';
import { settleTransfers } from '../../core/normalize/transfers.ts';
import { bucketOf } from '../../core/model/keys.ts';
import type { Currency } from '../../core/model/money.ts';
import { amountText, lineValueMinor } from './minor.ts';

export type PeriodPosition = {
  sku: string;
  location: string;
  bucket: string;
  quantity: number;
  /** Decimal text from the item master; null when the item has none. */
  unitCost: string | null;
  valueMinor: number;
};

export function periodPositions(
  intake: Intake,
  asOfMs: number,
  currency: Currency,
): PeriodPosition[] {
  intake.flush();
  // the same ledger a run projects: a transfer's arrival closes its in_transit
  settleTransfers(intake);
  const { expected, known } = projectExpected(intake, asOfMs);
  const out: PeriodPosition[] = [];
  for (let key = 0; key < expected.length; key++) {
    const quantity = expected[key] as number;
    if (known[key] !== 1 || quantity === 0) continue;
    const skuLoc = Math.floor(key / 4);
    const sku = intake.skuLocs.skuOf.get(skuLoc);
    const cost = intake.itemOf(sku).unitCost;
    out.push({
      sku: intake.skus.value(sku),
      location: intake.locations.value(intake.skuLocs.locOf.get(skuLoc)),
      bucket: bucketOf(key % 4),
      quantity,
      unitCost: cost === undefined ? null : amountText(cost),
      valueMinor: cost === undefined ? 0 : lineValueMinor(cost, quantity, currency),
    });
  }
  return out.sort(
    (a, b) =>
      a.sku.localeCompare(b.sku) ||
      a.location.localeCompare(b.location) ||
      a.bucket.localeCompare(b.bucket),
  );
}
