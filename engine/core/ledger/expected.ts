/** Expected positions per (sku, compare location, bucket) as of T, from the ledger replay. */
import type { Intake } from '../normalize/intake.ts';
import { keyId } from '../model/skuloc.ts';
import { accountBucket, accountLocation, OUTSIDE } from '../model/accounts.ts';
import { replay } from './project.ts';
import type { RowScope } from '../normalize/sku-rows.ts';
import { FRESH } from '../normalize/scratch.ts';

export type Expected = {
  /** Expected quantity per key id (skuLoc × 4 + bucket); sized to the keys known after replay. */
  expected: Float64Array;
  /** 1 where the ledger has an entry for the key (even when it nets to zero). */
  known: Uint8Array;
  /** compare location id → time of the opening balance of its system of record */
  openingAt: Map<number, number>;
  /** The same for explicit openings only: events at or before it are not matched. */
  matchFrom: Map<number, number>;
  /**
   * Booked entries that may lie after some source's snapshot (occurred after the earliest
   * snapshot at or before T): key id, occurredAt and quantity, so each source can be compared
   * with the ledger as of its own snapshot (recon/keyspace.ts).
   */
  late: { key: number[]; at: number[]; delta: number[] };
};

/** Over every sku, or the scope's skus only (an incremental run: their rows are all it reads). */
export function projectExpected(intake: Intake, asOfMs: number, scope?: RowScope): Expected {
  const alloc = scope?.alloc ?? FRESH;
  let expected = alloc.floats(Math.max(16, intake.skuLocs.size * 4), 4);
  let known = alloc.bytes(expected.length, 4);
  const late = { key: [] as number[], at: [] as number[], delta: [] as number[] };
  const lateFrom = earliestSnapshot(intake, asOfMs, scope?.positions);
  const occurred = intake.events.occurred;
  const { openingAt, matchFrom } = replay(intake, asOfMs, scope, (sku, account, delta, event) => {
    if (account < 0) return;
    const sl = intake.skuLocs.id(sku, intake.compareOf(accountLocation(account)));
    const key = keyId(sl, accountBucket(account));
    if (key >= expected.length) {
      // A transfer can name a place the sku was never seen at: grow.
      const bigger = new Float64Array(Math.max(key + 1, expected.length * 2));
      bigger.set(expected);
      expected = bigger;
      const k2 = new Uint8Array(bigger.length);
      k2.set(known);
      known = k2;
    }
    expected[key] = (expected[key] as number) + delta;
    known[key] = 1;
    if (event >= 0 && occurred.get(event) > lateFrom) {
      late.key.push(key);
      late.at.push(occurred.get(event));
      late.delta.push(delta);
    }
  });
  return { expected, known, openingAt, matchFrom, late };
}

/** The earliest position row at or before T (of the given rows, or all): no snapshot is older. */
function earliestSnapshot(intake: Intake, asOfMs: number, rows: number[] | undefined): number {
  const asOf = intake.positions.asOf.data;
  const n = rows ? rows.length : intake.positions.length;
  let min = asOfMs;
  for (let k = 0; k < n; k++) {
    const t = asOf[rows ? (rows[k] as number) : k] as number;
    if (t < min) min = t;
  }
  return min;
}

/**
 * Every account's balance as readable labels ("SKU-1 WH-EAST 0", "SKU-1 customer"),
 * movements only (openings excluded), so double entry can be checked: they sum to zero.
 */
export function movementBalances(intake: Intake, asOfMs: number): Map<string, number> {
  const out = new Map<string, number>();
  replay(intake, asOfMs, undefined, (sku, account, delta, event) => {
    if (event < 0) return;
    const where =
      account < 0
        ? OUTSIDE[-1 - account]
        : `${intake.locations.value(accountLocation(account))} ${accountBucket(account)}`;
    const name = `${intake.skus.value(sku)} ${where}`;
    out.set(name, (out.get(name) ?? 0) + delta);
  });
  return out;
}

/** Readable view of expected positions, for tests and debugging: "SKU-1 WH-EAST 0" → qty. */
export function expectedByName(intake: Intake, e: Expected): Map<string, number> {
  const out = new Map<string, number>();
  for (let key = 0; key < e.expected.length; key++) {
    if (e.known[key] !== 1) continue;
    const sl = Math.floor(key / 4);
    const name = `${intake.skus.value(intake.skuLocs.skuOf.get(sl))} ${intake.locations.value(intake.skuLocs.locOf.get(sl))} ${key % 4}`;
    out.set(name, e.expected[key] as number);
  }
  return out;
}
