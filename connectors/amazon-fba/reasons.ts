/**
 * Amazon inventory adjustment reason codes (ledger detail `Reason`, Inventory Adjustments report)
 * read through the reason catalogue (engine/core/model/reasons.ts). Codes the catalogue does
 * not know keep their identity as AMAZON_<code> so that nothing is silently merged into a wrong
 * reason.
 */
import { reasonForAmazon } from '../../engine/core/model/reasons.ts';

export function tallyReason(amazonCode: string | undefined): string | undefined {
  const code = amazonCode?.trim().toUpperCase();
  if (!code) return undefined;
  return reasonForAmazon(code)?.code ?? `AMAZON_${code}`;
}

/** Decreases Amazon documents as "always followed by a P code increase" elsewhere. */
const PAIRED_DECREASES = new Set(['6', '7', 'E', 'H', 'K', 'U']);

/**
 * Whether an adjustment row can be one half of a disposition change. Only the documented
 * halves pair; a loss (M) and a find (F) on the same day stay two separate adjustments.
 */
export function isDispositionChangeHalf(amazonCode: string | undefined, quantity: number): boolean {
  const code = amazonCode?.trim().toUpperCase() ?? '';
  return quantity < 0 ? PAIRED_DECREASES.has(code) : code === 'P';
}
