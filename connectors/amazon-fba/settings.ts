/** Amazon FBA connector settings, from SourceDef.settings. */
import { InputError } from '../../engine/core/errors.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { encodingOf, encodingProblem, type TextEncoding } from '../shared/encoding.ts';

export type AmazonSettings = {
  /** GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA file, relative to the data folder. */
  inventoryReport?: string;
  /** GET_LEDGER_DETAIL_VIEW_DATA file, relative to the data folder. */
  ledgerReport?: string;
  /** Fulfilment centre code (e.g. "LEJ1") → Tally location code. */
  fulfillmentCenterMap?: Map<string, string>;
  /** Location code for the inventory report, which is network-wide (no fulfilment centre). */
  networkLocation: string;
  /** When the inventory report was generated; wins over a date column and the file name. */
  inventoryAsOf?: string;
  /** Column of the inventory report holding the snapshot date (default: snapshot-date when present). */
  inventoryAsOfColumn?: string;
  /** How the reports' bytes are written (default utf-8; Amazon writes some in windows-1252). */
  encoding: TextEncoding;
};

export const DEFAULT_NETWORK_LOCATION = 'AMAZON_FBA';

export function checkAmazonSettings(source: SourceDef): string[] {
  const s = source.settings ?? {};
  const where = `source ${source.id} (${source.file}:${source.line}) settings`;
  const problems: string[] = [];
  if (s.inventoryReport === undefined && s.ledgerReport === undefined) {
    problems.push(`${where}: set inventoryReport, ledgerReport or both`);
  }
  for (const key of [
    'inventoryReport',
    'ledgerReport',
    'networkLocation',
    'inventoryAsOfColumn',
  ] as const) {
    if (s[key] !== undefined && (typeof s[key] !== 'string' || s[key] === '')) {
      problems.push(`${where}.${key}: expected a non-empty string`);
    }
  }
  if (
    s.inventoryAsOf !== undefined &&
    (typeof s.inventoryAsOf !== 'string' || Number.isNaN(Date.parse(s.inventoryAsOf)))
  ) {
    problems.push(`${where}.inventoryAsOf: expected an ISO date-time`);
  }
  const encoding = encodingProblem(s.encoding, where);
  if (encoding) problems.push(encoding);
  const map = s.fulfillmentCenterMap;
  if (map !== undefined) {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(
        `${where}.fulfillmentCenterMap: expected a map of fulfilment centre code → location code`,
      );
    } else {
      for (const [fc, code] of Object.entries(map)) {
        if (typeof code !== 'string' || code === '') {
          problems.push(`${where}.fulfillmentCenterMap.${fc}: expected a location code`);
        }
      }
    }
  }
  return problems;
}

export function amazonSettings(source: SourceDef): AmazonSettings {
  const problems = checkAmazonSettings(source);
  if (problems.length > 0) {
    throw new InputError('AMAZON_SETTINGS', problems.join('; '), {
      file: source.file,
      line: source.line,
    });
  }
  const s = source.settings;
  return {
    inventoryReport: s.inventoryReport as string | undefined,
    ledgerReport: s.ledgerReport as string | undefined,
    fulfillmentCenterMap: s.fulfillmentCenterMap
      ? new Map(Object.entries(s.fulfillmentCenterMap as Record<string, string>))
      : undefined,
    networkLocation: (s.networkLocation as string | undefined) ?? DEFAULT_NETWORK_LOCATION,
    inventoryAsOf: s.inventoryAsOf ? new Date(s.inventoryAsOf as string).toISOString() : undefined,
    inventoryAsOfColumn: s.inventoryAsOfColumn as string | undefined,
    encoding: encodingOf(s.encoding),
  };
}
