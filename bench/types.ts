/** The benchmark's options and report, shared by the runner, the report and the entry point. */
import type { ChildFigures } from './child-run.ts';
import type { DeliveryResult } from './delivery.ts';
import type { LiveSlackResult } from './live-slack.ts';
import type { LiveBenchResult } from './live.ts';
import type { PersistBenchResult } from './persist.ts';
import type { ScaleResult } from './scale.ts';

export type BenchOptions = {
  /** Key counts of the scaling table; the targets are read at 1,000,000 (or the largest). */
  sizes: number[];
  runs: number;
  seed: number;
  dir?: string;
  /** Which sections run. */
  batch: boolean;
  persistBench: boolean;
  live: boolean;
  delivery: boolean;
  /** Keys in the ledger for the live section. */
  liveKeys: number;
  liveEvents: number;
  quick: boolean;
  /** Also save each size's runs on this PostgreSQL (a fresh schema per run). */
  postgres?: string;
  log: (line: string) => void;
};

/** One measured process: its own figures and its wall time including start-up. */
export type MeasuredRun = ChildFigures & { processMs: number };

/** The 1-, 5- and 15-minute load averages of the machine when a section ended. */
export type Load = [number, number, number];

export type SizeReport = {
  data: ScaleResult;
  tally: MeasuredRun[];
  /**
   * Each fresh run's database run over again with the same files, as the next day's run finds
   * it: every exception continues (absent in reports saved before it was measured).
   */
  again?: MeasuredRun[];
  duckdb: MeasuredRun[];
  /** The same runs saved on PostgreSQL (with --postgres): fresh, then again over it. */
  postgres?: { tally: MeasuredRun[]; again: MeasuredRun[] };
  load: Load;
};

export type LiveReport = {
  keys: number;
  database: LiveBenchResult;
  slack: LiveSlackResult;
  load: Load;
};

export type BenchReport = {
  runs: number;
  sizes: SizeReport[];
  persist?: PersistBenchResult[];
  live?: LiveReport;
  delivery?: DeliveryResult & { load: Load };
  startLoad: Load;
  /** What the whole runs' processes were started with for memory (bin/huge-pages.mjs). */
  memory?: string;
  /** Which Tally the whole runs ran: the compiled build (as `tally run`) or the sources. */
  code?: string;
};
