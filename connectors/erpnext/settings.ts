/** Settings of an `erpnext` source: which exported files, and how its warehouses read. */
import { InputError } from '../../engine/core/errors.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { makeDateParser } from '../shared/dates.ts';
import { isValidTimeZone } from '../shared/zone.ts';

export type ErpnextSettings = {
  /** Stock Ledger Entry exports (one or several, e.g. one per month), relative to --data. */
  stockLedger: string[];
  /** Bin export (the cached balance per item and warehouse). */
  bin?: string;
  /** Item export: the item master (item_code, item_group, stock_uom, valuation_rate). */
  items?: string;
  /**
   * Pack sizes in Item export columns of the customer's own, unit → column
   * (`case: custom_case_pack`): how many stock units one of that unit holds, per item.
   */
  itemPacks: Map<string, string>;
  /** When the Bin export was taken; wins over a date in the file name. */
  binAsOf?: string;
  /** Warehouse name → raw status of its stock (`Quarantine - AC: quarantine`). */
  warehouseStatus: Map<string, string>;
  /** Transit warehouses; by default those named `Goods In Transit …`. */
  transitWarehouses?: Set<string>;
};

const where = (s: SourceDef) => `source ${s.id} (${s.file}:${s.line}) settings`;

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export function checkErpnextSettings(source: SourceDef): string[] {
  const s = source.settings ?? {};
  const at = where(source);
  const problems: string[] = [];
  const ledger = s.stockLedger;
  if (ledger === undefined && s.bin === undefined && s.items === undefined)
    problems.push(`${at}: set stockLedger, bin, items or several of them`);
  if (ledger !== undefined && !isText(ledger) && !(Array.isArray(ledger) && ledger.every(isText)))
    problems.push(`${at}.stockLedger: expected a file path or a list of them`);
  for (const k of ['bin', 'items'] as const)
    if (s[k] !== undefined && !isText(s[k])) problems.push(`${at}.${k}: expected a file path`);
  if (s.binAsOf !== undefined && binAsOf(source) === undefined)
    problems.push(`${at}.binAsOf: expected an ISO date-time, e.g. 2026-11-22T23:00:00Z`);
  const statuses = s.warehouseStatus;
  if (statuses !== undefined) {
    if (typeof statuses !== 'object' || statuses === null || Array.isArray(statuses))
      problems.push(`${at}.warehouseStatus: expected a map of warehouse name → raw status`);
    else
      for (const [w, v] of Object.entries(statuses))
        if (!isText(v)) problems.push(`${at}.warehouseStatus.${w}: expected a raw status word`);
  }
  const packs = s.itemPacks;
  if (packs !== undefined) {
    if (typeof packs !== 'object' || packs === null || Array.isArray(packs))
      problems.push(`${at}.itemPacks: expected a map of unit → Item export column`);
    else
      for (const [unit, column] of Object.entries(packs))
        if (!isText(column)) problems.push(`${at}.itemPacks.${unit}: expected a column name`);
  }
  const transit = s.transitWarehouses;
  if (transit !== undefined && !(Array.isArray(transit) && transit.every(isText)))
    problems.push(`${at}.transitWarehouses: expected a list of warehouse names`);
  if (!isValidTimeZone(source.timezone))
    problems.push(`${at}: timezone ${source.timezone} is not an IANA zone`);
  return problems;
}

export function erpnextSettings(source: SourceDef): ErpnextSettings {
  const problems = checkErpnextSettings(source);
  if (problems.length > 0)
    throw new InputError('ERPNEXT_SETTINGS', problems.join('; '), {
      file: source.file,
      line: source.line,
    });
  const s = source.settings;
  const ledger = s.stockLedger as string | string[] | undefined;
  return {
    stockLedger: ledger === undefined ? [] : Array.isArray(ledger) ? ledger : [ledger],
    bin: s.bin as string | undefined,
    items: s.items as string | undefined,
    itemPacks: new Map(Object.entries((s.itemPacks ?? {}) as Record<string, string>)),
    binAsOf: binAsOf(source),
    warehouseStatus: new Map(Object.entries((s.warehouseStatus ?? {}) as Record<string, string>)),
    transitWarehouses: s.transitWarehouses ? new Set(s.transitWarehouses as string[]) : undefined,
  };
}

/** binAsOf in the source's zone unless it carries an offset; undefined when absent or unreadable. */
function binAsOf(source: SourceDef): string | undefined {
  const v = source.settings.binAsOf;
  if (!isText(v) || !isValidTimeZone(source.timezone)) return undefined;
  return makeDateParser('iso', source.timezone)(v.trim());
}
