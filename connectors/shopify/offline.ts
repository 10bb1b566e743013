/**
 * Shopify read from files instead of the API: saved Admin GraphQL inventory responses
 * (`inventoryFile`) and bulk-operation JSON Lines (`bulkFile`). Items are keyed by their
 * inventory item id (`gid://shopify/InventoryItem/…`), which the item master maps to a SKU
 * through its `alias:<source>` column — the merchant's SKU text is free text, often blank or
 * duplicated; `itemKey: sku` reads it instead. Locations are the location id, or its name
 * (`locationKey: name`), optionally mapped by `locations`. The files say nothing of when they
 * were taken: the as-of is `inventoryAsOf`, else a date in the file name, else the file's
 * modification time with a note.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { FileSummary, ReadContext, ReadResult, RejectedKey, Sink } from '../types.ts';
import { fileSystemError } from '../shared/byte-stream.ts';
import { insideData } from '../shared/data-path.ts';
import { fileNameDate } from '../shared/file-date.ts';
import { readBulkFile } from './bulk.ts';
import { isSavedProblem, parseSavedPages, type SavedItem, type SavedProblem } from './saved.ts';
import type { OfflineSettings } from './settings.ts';
import { salvageRecord, type Salvaged } from './salvage.ts';

type Emit = {
  ctx: ReadContext;
  sink: Sink;
  settings: OfflineSettings;
  file: string;
  asOf: string;
  /** Bulk files: the items by id, so a refused level line finds its item's key. */
  items?: Map<string, SavedItem>;
};

export async function readShopifyFiles(
  ctx: ReadContext,
  sink: Sink,
  settings: OfflineSettings,
): Promise<ReadResult> {
  const files: FileSummary[] = [];
  if (settings.inventoryFile)
    files.push(await readPages(ctx, sink, settings, settings.inventoryFile));
  if (settings.bulkFile) files.push(await readBulk(ctx, sink, settings, settings.bulkFile));
  return { files };
}

async function readPages(
  ctx: ReadContext,
  sink: Sink,
  settings: OfflineSettings,
  file: string,
): Promise<FileSummary> {
  const abs = insideData(ctx.dataDir, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw fileSystemError(e, file);
  }
  const { asOf, notes } = await asOfFor(ctx, settings, abs, file);
  const { items, morePages } = parseSavedPages(text.replace(/^\uFEFF/, ''), file);
  const summary: FileSummary = {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    read: items.length,
    accepted: 0,
    rejected: 0,
  };
  const e: Emit = { ctx, sink, settings, file, asOf };
  for (const item of items) {
    if (!emitItem(e, item)) summary.rejected++;
    else summary.accepted++;
  }
  if (morePages)
    notes.push(
      'the last saved page says more pages follow (pageInfo.hasNextPage): items on later pages are not in this file',
    );
  return { ...summary, ...(notes.length ? { notes } : {}) };
}

async function readBulk(
  ctx: ReadContext,
  sink: Sink,
  settings: OfflineSettings,
  file: string,
): Promise<FileSummary> {
  const abs = insideData(ctx.dataDir, file);
  const { asOf, notes } = await asOfFor(ctx, settings, abs, file);
  const bulk = await readBulkFile(abs, file, ctx.signal);
  const e: Emit = {
    ctx,
    sink,
    settings,
    file,
    asOf,
    items: new Map(bulk.items.map((i) => [i.id, i])),
  };
  let rejected = 0;
  for (const p of [...bulk.problems, ...bulk.orphans]) rejected += rejectLine(e, p);
  for (const item of bulk.items) {
    // an item and its levels are lines of their own: each line counts once
    if (!emitItem(e, item)) rejected += 1 + item.levels.length;
  }
  const summary: FileSummary = {
    file,
    sha256: bulk.sha256,
    read: bulk.lines,
    accepted: bulk.lines - rejected,
    rejected,
  };
  return { ...summary, ...(notes.length ? { notes } : {}) };
}

function rejectLine(e: Emit, p: SavedProblem): number {
  refuse(e, p.line, p.problem, p.raw, keysOf(e, salvageRecord(p.raw)));
  return 1;
}

function refuse(e: Emit, line: number, reason: string, raw: string, keys: RejectedKey[]): void {
  const source = e.ctx.source.id;
  e.sink.reject({ file: e.file, line, reason, raw, source, kind: 'positions', keys });
}

/** A location's code as the positions name it, or undefined when the record does not say. */
function locationCode(e: Emit, l: { id?: string; name?: string }): string | undefined {
  const key = e.settings.locationKey === 'name' ? l.name : l.id;
  return key === undefined ? undefined : (e.settings.locations?.get(key) ?? key);
}

/** The keys a refused record names: its item (or a level's parent item) at each of its locations. */
function keysOf(e: Emit, s: Salvaged): RejectedKey[] {
  const id = s.id ?? s.parentId;
  const sku =
    e.settings.itemKey === 'sku'
      ? (s.sku ?? (id === undefined ? undefined : e.items?.get(id)?.sku))
      : id;
  if (sku === undefined) return [];
  return s.locations.flatMap((l) => {
    const location = locationCode(e, l);
    return location === undefined ? [] : [{ sku, location }];
  });
}

/** Delivers an item's positions; false (after rejecting it) when it cannot be keyed. */
function emitItem(e: Emit, item: SavedItem | SavedProblem): boolean {
  if (isSavedProblem(item)) {
    rejectLine(e, item);
    return false;
  }
  const sku = e.settings.itemKey === 'sku' ? item.sku : item.id;
  if (sku === undefined) {
    const reason = `inventory item ${item.id} has no SKU (itemKey: sku); key it by id through the item master instead`;
    refuse(e, item.line, reason, JSON.stringify(item), []);
    return false;
  }
  const codes = item.levels.map((level) =>
    locationCode(e, { id: level.locationId, name: level.locationName }),
  );
  const unnamed = codes.indexOf(undefined);
  if (unnamed !== -1) {
    const id = item.levels[unnamed]!.locationId;
    const reason = `inventory item ${item.id}: location ${id} has no name in the file (locationKey: name)`;
    const keys = codes.flatMap((location) => (location === undefined ? [] : [{ sku, location }]));
    refuse(e, item.line, reason, JSON.stringify(item), keys);
    return false;
  }
  for (const [i, level] of item.levels.entries()) {
    const code = codes[i]!;
    for (const q of level.quantities)
      e.sink.position({
        source: e.ctx.source.id,
        sku,
        location: code,
        status: q.name,
        quantity: q.quantity,
        asOf: e.asOf,
        origin: { file: e.file, line: item.line },
      });
  }
  return true;
}

async function asOfFor(
  ctx: ReadContext,
  settings: OfflineSettings,
  abs: string,
  file: string,
): Promise<{ asOf: string; notes: string[] }> {
  const dated = settings.inventoryAsOf ?? fileNameDate(file, ctx.source.timezone);
  if (dated) return { asOf: dated, notes: [] };
  let mtime: string;
  try {
    mtime = (await stat(abs)).mtime.toISOString();
  } catch (e) {
    throw fileSystemError(e, file);
  }
  const note =
    `as-of ${mtime} taken from the file's modification time: its name holds no date; ` +
    'set inventoryAsOf to say when it was saved';
  return { asOf: mtime, notes: [note] };
}
