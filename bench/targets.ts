/** Issue #18's and #14's targets, as the benchmark checks them. */
export const TARGETS = {
  /** Keys the batch targets are set for. */
  keys: 1_000_000,
  endToEndMs: 6_000,
  beforePersistMs: 4_000,
  /** Tally ÷ DuckDB's plain diff of the same files, in the same run. */
  duckdbRatio: 4,
  /** 1.0 GB at 1M keys and 2.5 GB at 3M keys, in MiB (10^9 bytes = 953.7 MiB). */
  peakRssMiB: { 1_000_000: 1e9 / 2 ** 20, 3_000_000: 2.5e9 / 2 ** 20 } as Record<number, number>,
  /** Differing keys per second of the rule phase (the rules alone, PhaseDurations.rulesMs). */
  differingPerSecond: 500_000,
  liveDatabaseP95Ms: 100,
  liveSlackP95Ms: 1_000,
  deliveryMaxPerSecond: 1,
} as const;

export const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
