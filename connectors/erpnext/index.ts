/**
 * `erpnext`: ERPNext's own exports read as they are — Stock Ledger Entry (events), Bin
 * (positions) and Item (item master) CSV files from Report view or Data Export, with field
 * names or labels as headers. The ledger is read the way the live `sql` query set reads it
 * (connectors/shared/erpnext-ledger.ts). Read-only: corrections go to ERPNext as exported files.
 */
import type { Connector, FileSummary, ReadContext, Sink } from '../types.ts';
import { readBin } from './bin.ts';
import { readItems } from './items.ts';
import { readStockLedger } from './ledger.ts';
import { checkErpnextSettings, erpnextSettings } from './settings.ts';

async function read(ctx: ReadContext, sink: Sink) {
  const settings = erpnextSettings(ctx.source);
  const base = {
    sourceId: ctx.source.id,
    dataDir: ctx.dataDir,
    timezone: ctx.source.timezone,
    signal: ctx.signal,
  };
  const files: FileSummary[] = [];
  if (settings.items)
    files.push(
      await readItems(
        ctx.dataDir,
        settings.items,
        sink,
        ctx.signal,
        ctx.source.id,
        settings.itemPacks,
      ),
    );
  if (settings.bin) files.push(await readBin(base, settings.bin, settings, sink));
  if (settings.stockLedger.length > 0)
    files.push(...(await readStockLedger({ ...base, asOf: ctx.asOf }, settings, sink)));
  return { files };
}

export const erpnextConnector: Connector = {
  id: 'erpnext',
  displayName: 'ERPNext exports (Stock Ledger Entry, Bin, Item CSV)',
  checkSettings: checkErpnextSettings,
  read,
};
