/** Shared fixtures for the file connector tests: hand-built sources and a recording sink. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Item, RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import type { FileMapping, SourceDef } from '../../engine/core/rules/types.ts';
import type { RejectedRecord, Sink } from '../../connectors/types.ts';
import { filesConnector } from '../../connectors/files/index.ts';
import { csvConnector } from '../../connectors/csv/index.ts';
import type { Connector } from '../../connectors/types.ts';
import { proposeRules } from '../../connectors/recognize/index.ts';

export type RecordingSink = Sink & {
  items: Item[];
  openings: RawPosition[];
  positions: RawPosition[];
  events: RawEvent[];
  rejects: RejectedRecord[];
  /** Order of calls by kind, to check ingest phases. */
  order: string[];
};

export function recordingSink(): RecordingSink {
  const s: RecordingSink = {
    items: [],
    openings: [],
    positions: [],
    events: [],
    rejects: [],
    order: [],
    item: (i) => void (s.items.push(i), s.order.push('item')),
    opening: (p) => void (s.openings.push(p), s.order.push('opening')),
    position: (p) => void (s.positions.push(p), s.order.push('position')),
    event: (e) => void (s.events.push(e), s.order.push('event')),
    reject: (r) => void s.rejects.push(r),
  };
  return s;
}

/**
 * `content` written at the first mapping's path in a new data folder, read as one source with
 * those mappings through `connector` (the csv one by default): the sink and the file's summary.
 */
export async function readSourceFiles(
  files: FileMapping[],
  content: string | Buffer,
  connector: Connector = csvConnector,
) {
  const dataDir = tempDataDir();
  writeData(dataDir, files[0]!.path, content);
  const sink = recordingSink();
  const result = await connector.read({ source: source({ files }), dataDir }, sink);
  return { sink, summary: result.files[0]! };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tally-files-'));
}

export function writeData(dataDir: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(dataDir, path)), { recursive: true });
  writeFileSync(join(dataDir, path), content);
}

export function mapping(
  overrides: Partial<FileMapping> & Pick<FileMapping, 'path' | 'kind'>,
): FileMapping {
  return { format: 'csv', columns: {}, constants: {}, dateFormat: 'iso', ...overrides };
}

export function source(overrides: Partial<SourceDef> & Pick<SourceDef, 'files'>): SourceDef {
  return {
    file: 'rules/sources.yaml',
    line: 1,
    id: 'wms-east',
    connector: 'csv',
    role: 'wms',
    owner: 'ops',
    timezone: 'America/New_York',
    cutoffMinutes: 23 * 60,
    expectedLagMinutes: 0,
    systemOfRecord: ['physical_movements'],
    locations: ['WH-EAST'],
    group: 'default',
    settings: {},
    ...overrides,
  };
}

/** The demo WMS inventory mapping (DEMO-DEPLOYMENT.md). */
export const WMS_INVENTORY: FileMapping = mapping({
  path: 'wms-east/inventory.csv',
  kind: 'positions',
  columns: {
    sku: 'Item',
    location: 'Bin',
    status: 'Status',
    quantity: 'Qty',
    unit: 'UOM',
    asOf: 'SnapshotTime',
  },
  dateFormat: 'yyyy-MM-dd HH:mm',
});

/** The WMS transactions export the ingest tests read (receipts and shipments). */
export const WMS_TXN: FileMapping = mapping({
  path: 'wms-east/transactions.csv',
  kind: 'events',
  columns: {
    sourceEventId: 'TxnId',
    type: 'TxnType',
    sku: 'Item',
    location: 'Bin',
    quantity: 'Qty',
    occurredAt: 'TxnTime',
  },
  typeMap: { RECEIVE: 'receipt', SHIP: 'shipment' },
  dateFormat: 'yyyy-MM-dd HH:mm',
});

/** A ruleset's sources, as ingest() takes them. */
export function sources(...defs: SourceDef[]): { sources: Map<string, SourceDef> } {
  return { sources: new Map(defs.map((d) => [d.id, d])) };
}

/** Reads one file through the files connector; its sink and the file's summary. */
export async function readOne(
  m: FileMapping,
  content: string | Buffer,
  overrides: Parameters<typeof source>[0] extends infer S ? Partial<S> : never = {},
  asOf?: string,
) {
  const dataDir = tempDataDir();
  writeData(dataDir, m.path, content);
  const sink = recordingSink();
  const result = await filesConnector.read(
    { source: source({ connector: 'files', ...overrides, files: [m] }), dataDir, asOf },
    sink,
  );
  return { sink, summary: result.files[0]! };
}

/** `tally init`'s proposal for a folder, with the file mapping it proposes for `path`. */
export async function proposalFor(dir: string, path: string, timezone = 'UTC') {
  const proposal = await proposeRules(dir, { timezone, canRead: () => true });
  const proposed = proposal.plan.sources.flatMap((s) => s.files ?? []).find((f) => f.path === path);
  return { ...proposal, proposed };
}
