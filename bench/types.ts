/** The benchmark's options and report, shared by the runner, the report and the entry point. */
import type { ChildFigures } from './child-run.ts';
import type { PersistBenchResult } from './persist.ts';
import type { RealtimeBenchResult } from './realtime.ts';
import type { ScaleResult } from './scale.ts';

export type BenchOptions = {
  keys: number;
  runs: number;
  seed: number;
  dir?: string;
  persistBench: boolean;
  realtimeBench: boolean;
  quick: boolean;
  log: (line: string) => void;
};

/** One measured process: its own figures and its wall time including start-up. */
export type MeasuredRun = ChildFigures & { processMs: number };

export type BenchReport = {
  data: ScaleResult;
  tally: MeasuredRun[];
  duckdb: MeasuredRun[];
  persist?: PersistBenchResult[];
  realtime?: RealtimeBenchResult[];
};
