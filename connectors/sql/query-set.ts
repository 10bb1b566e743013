/** What every query set gets and returns. */
import type { SourceDef } from '../../engine/core/rules/types.ts';
import type { Db } from './db.ts';
import type { Out } from './out.ts';

export type QueryContext = {
  source: SourceDef;
  /** When the read started: current-state tables (tabBin, stock_quant) are as of now. */
  readAt: string;
};

/** Keyset position of the last event delivered (e.g. [creation, name]). */
export type EventCursor = unknown[];

export type QuerySet = {
  positions(db: Db, q: QueryContext, out: Out): Promise<void>;
  events(db: Db, q: QueryContext, out: Out, after?: EventCursor): Promise<EventCursor | undefined>;
};
