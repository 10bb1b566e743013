/**
 * The injected causes. Each one picks its own SKU (so causes never overlap), changes what one
 * system recorded or reports, and says what a correct reconciliation must decide about it.
 */
import type { Sim } from './sim.ts';
import type { TruthEntry } from './truth.ts';
import type { Ctx, Overrides } from './inject-ctx.ts';
import { inTransit, lateEvent, lateReceipt3pl, pendingPosting } from './inject-timing.ts';
import {
  binRollUp,
  duplicate,
  manualAdjustment,
  missingPosting,
  oversell,
  phantom,
  shrinkage,
  statusMismatch,
  unitErrors,
  unitRounding,
} from './inject-breaks.ts';
import * as more from './inject-bench.ts';

export type { Delta, ErpRowOverride, Overrides } from './inject-ctx.ts';

/** `demo`: each cause once (`tally demo`); `benchmark`: every cause in several variants. */
export type CauseSet = 'demo' | 'benchmark';

export function injectCauses(
  sim: Sim,
  set: CauseSet = 'demo',
): { truth: TruthEntry[]; overrides: Overrides } {
  const overrides: Overrides = { erp: [], erpRows: new Map(), sorSnapshot: [], shop: [] };
  const ctx: Ctx = { sim, used: new Set(), truth: [], overrides };
  for (const inject of INJECTIONS) inject(ctx);
  if (set === 'benchmark') for (const inject of BENCHMARK_INJECTIONS) inject(ctx);
  return { truth: ctx.truth, overrides };
}

const INJECTIONS: ((ctx: Ctx) => void)[] = [
  pendingPosting,
  lateEvent,
  lateReceipt3pl,
  inTransit,
  statusMismatch,
  unitErrors,
  unitRounding,
  oversell,
  manualAdjustment,
  missingPosting,
  duplicate,
  phantom,
  shrinkage,
  binRollUp,
];

const BENCHMARK_INJECTIONS: ((ctx: Ctx) => void)[] = [
  more.unpostedReceipt,
  more.unpostedStoreSale,
  more.unpostedWriteOff,
  more.countToZeroEast,
  more.countToZeroWest,
  more.countShortEast,
  more.countShortWest,
  more.duplicateVoucherWest,
  more.duplicateVoucherStore,
  more.shrinkWest,
  more.shrinkStore,
  more.erpAdjustmentEast,
  more.erpAdjustmentWest,
  more.statusEast,
  more.statusMirroredByShop,
  more.oversellWest,
  more.uomEast,
  more.lostInTransit,
];
