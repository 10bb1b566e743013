/**
 * The Connector contract. A connector is a folder under connectors/ whose index.ts exports one
 * object satisfying this interface; connectors/registry.ts lists them by hand.
 * Connectors parse vendor shapes at the boundary into the engine's raw types; vendor field
 * names never leave the connector.
 */
import type { RawEvent, RawPosition, Item } from '../engine/core/model/types.ts';
import type { EventParts } from '../engine/core/model/event-parts.ts';
import type { SourceDef } from '../engine/core/rules/types.ts';
import type { Prescans } from './shared/prescan.ts';
import type { ReadAhead } from './shared/read-ahead.ts';

export type RejectedRecord = {
  file: string;
  line: number;
  reason: string;
  raw: string;
  /** Where a reader can tell them: whose row, of which kind of file, at which sku and location. */
  source?: string;
  kind?: 'items' | 'opening' | 'positions' | 'events';
  sku?: string;
  location?: string;
  /** Every key a refused record covers, when it covers several (an X12 transaction set, a Shopify item). */
  keys?: RejectedKey[];
  /**
   * When a record received live spoke (ISO-8601): its key is incomplete from then until the
   * source's next row there. A file's rows leave it out (they hold for the run).
   */
  asOf?: string;
};

/** The sku and location of a refused record, as the source names them. */
export type RejectedKey = { sku: string; location: string };

/**
 * Why a file was quarantined: nothing of it was delivered, the rest of the run went on.
 * `code` is stable (FILE_NOT_FOUND, FILE_NOT_UTF8, FILE_EMPTY, HEADER_MISSING_COLUMN,
 * PATH_OUTSIDE_DATA, …); `line` is where the fault is, when it has one.
 */
export type FileFailure = { code: string; message: string; line?: number };

export type FileSummary = {
  file: string;
  sha256: string;
  read: number;
  accepted: number;
  rejected: number;
  rejectsPath?: string;
  /** Source the file belongs to. */
  source?: string;
  /** Rows dated after the read's asOf: neither accepted nor rejected. */
  skipped?: number;
  /** What a person should know about how the file was read (e.g. where its as-of came from). */
  notes?: string[];
  /** Set when the file was quarantined whole; its counts are then all zero. */
  failed?: FileFailure;
};

/** Reported while a long file is read (every 100,000 rows and at its end). */
/** `lines`: the file's lines, known once it was scanned (rows ≈ lines less a header). */
export type ReadProgress = { source: string; file: string; rows: number; lines?: number };

/** Where a connector delivers what it reads; streaming, so nothing is held whole. */
export type Sink = {
  /** A row of an `opening` file: the ledger's opening balance at its asOf. */
  opening(p: RawPosition): void;
  position(p: RawPosition): void;
  event(e: RawEvent): void;
  /**
   * An event read on a reading thread (sink-wire.ts), with its parts as they came: its source
   * event id, reference and counterpart reference possibly as byte texts, its times possibly
   * as milliseconds (the record's text then empty). The same event as `event` would take,
   * without the strings; a sink without this is given those. `parts` is valid during the call.
   */
  eventParts?(e: RawEvent, parts: EventParts): void;
  item(i: Item): void;
  reject(r: RejectedRecord): void;
  /** About `rows` rows of this kind follow (a file's lines): room is made for them at once. */
  expect?(kind: 'items' | 'opening' | 'positions' | 'events', rows: number): void;
  /**
   * Of those, about `rows` come from `source` (told after `expect`, for what a sink keeps per
   * source, such as the event ids it has taken).
   */
  expectFrom?(
    kind: 'items' | 'opening' | 'positions' | 'events',
    source: string,
    rows: number,
  ): void;
};

export type ReadContext = {
  source: SourceDef;
  /** Base folder for relative file paths (the --data folder). */
  dataDir: string;
  /** Read only records at or before this instant (ISO). */
  asOf?: string;
  /** Opaque cursor from the previous pull, for incremental reads. */
  cursor?: string;
  /** Folder where rejects files are written; defaults next to the data. */
  rejectsDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: ReadProgress) => void;
  /** First passes over this source's files made ahead by the ingest (prescan.ts). */
  prescans?: Prescans;
  /** The ingest's next file read ahead on a second reading thread (read-ahead.ts). */
  readAhead?: ReadAhead;
};

export type ReadResult = { files: FileSummary[]; cursor?: string };

/** A correction to write back to a system of record. */
export type WriteBackRequest = {
  idempotencyKey: string;
  sku: string;
  location: string;
  rawStatus: string;
  delta: number;
  /** The quantity the approver saw; a system that supports compare-and-swap must check it. */
  expectedCurrent: number;
  reasonCode: string;
  reference: string;
};

export type WriteBackResult =
  | { status: 'applied'; externalId?: string }
  | { status: 'stale'; currentQuantity: number }
  | { status: 'failed'; reason: string }
  | { status: 'exported'; path: string };

export type Connector = {
  /** Stable id used by `connector:` in the Sources rules. */
  id: string;
  displayName: string;
  /** Validate connector-specific settings; return every problem (empty when fine). */
  checkSettings(source: SourceDef): string[];
  read(ctx: ReadContext, sink: Sink): Promise<ReadResult>;
  /**
   * Present when the connector reads its mapped files through read-file.ts: makes their first
   * passes ahead into `ctx.prescans` and returns their lines, so the ingest can tell the sink a
   * phase's rows at once. A file it could not prescan counts 0 (its read reports why).
   */
  prescan?(ctx: ReadContext): Promise<number>;
  /** Present when the connector can write corrections to its system. */
  writeBack?(source: SourceDef, request: WriteBackRequest): Promise<WriteBackResult>;
};
