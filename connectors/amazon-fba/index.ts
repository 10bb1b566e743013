/**
 * Amazon FBA reports connector: the Manage FBA Inventory report
 * (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) as a network-wide snapshot, and the inventory
 * ledger detail view (GET_LEDGER_DETAIL_VIEW_DATA) as events per fulfilment centre. Amazon
 * cannot be written to: corrections for FBA stock go through Seller Central case work, so this
 * connector has no writeBack.
 */
import { isAbsolute, join } from 'node:path';
import type { Connector, FileSummary, ReadContext, Sink } from '../types.ts';
import { readInventoryReport } from './inventory.ts';
import { readLedgerReport } from './ledger.ts';
import { amazonSettings, checkAmazonSettings } from './settings.ts';

function resolvePath(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : join(dataDir, path);
}

export const amazonFbaConnector: Connector = {
  id: 'amazon-fba',
  displayName: 'Amazon FBA reports',
  checkSettings: checkAmazonSettings,
  async read(ctx: ReadContext, sink: Sink) {
    const settings = amazonSettings(ctx.source);
    const files: FileSummary[] = [];
    if (settings.inventoryReport) {
      files.push(
        await readInventoryReport(
          {
            sourceId: ctx.source.id,
            path: resolvePath(ctx.dataDir, settings.inventoryReport),
            displayName: settings.inventoryReport,
            location: settings.networkLocation,
            asOf: settings.inventoryAsOf,
            asOfColumn: settings.inventoryAsOfColumn,
            encoding: settings.encoding,
            signal: ctx.signal,
          },
          sink,
        ),
      );
    }
    if (settings.ledgerReport) {
      files.push(
        await readLedgerReport(
          {
            sourceId: ctx.source.id,
            path: resolvePath(ctx.dataDir, settings.ledgerReport),
            displayName: settings.ledgerReport,
            fulfillmentCenterMap: settings.fulfillmentCenterMap,
            asOf: ctx.asOf,
            encoding: settings.encoding,
            signal: ctx.signal,
          },
          sink,
        ),
      );
    }
    return { files };
  },
};

export { tallyReason } from './reasons.ts';
