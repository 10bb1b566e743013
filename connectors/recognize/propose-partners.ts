/** Proposals for a 3PL's X12 files, Amazon FBA reports and saved Shopify GraphQL pages. */
import type { Found, Sighting } from './types.ts';
import type { Plan } from './plan.ts';
import { addCode, addLocation, addStatuses } from './plan.ts';
import { source } from './plan.ts';
import { column, distinct } from './table.ts';

type Of<K extends Found['kind']> = Extract<Found, { kind: K }>;

export const AMAZON_LOCATION = 'AMAZON-US';

export function proposeX12(plan: Plan, id: string, f: Of<'x12'>, sightings: Sighting[]): void {
  const s = source(plan, id, () => ({
    id,
    connector: 'x12-3pl',
    role: '3pl',
    systemOfRecord: ['physical_movements'],
    locations: new Set(),
    settings: { paths: [] as string[] },
    notes: [],
  }));
  const folder = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : f.path;
  const paths = s.settings!.paths as string[];
  if (!paths.includes(folder) && !paths.some((p) => f.path === p)) paths.push(folder);
  for (const w of f.warehouses) {
    addLocation(plan, {
      id: w.code,
      level: 'warehouse',
      type: '3pl_warehouse',
      ...(w.name ? { name: w.name } : {}),
    });
    s.locations.add(w.code);
  }
  for (const code of f.reasons) {
    const line = `${id}: 947 reason ${code} (${f.path}): what does it mean at this partner? The default table may differ from theirs (settings.reasonCodes: status_move, write_off, found, adjustment)`;
    if (!plan.report.decide.includes(line.replace(` (${f.path})`, '')))
      plan.report.decide.push(line.replace(` (${f.path})`, ''));
  }
  // statuses the connector writes on events (its defaults) and the 846 qualifiers found
  addStatuses(plan, id, ['33', ...f.qualifiers, 'damaged', 'hold']);
  for (const m of f.moves) {
    const transfer = m.set === '944' && /STE|TRANSFER|TO-/i.test(m.ref);
    sightings.push({
      system: id,
      reference: m.ref,
      sku: m.sku,
      quantity: m.qty,
      at: `${m.date} 00:00`,
      dateOnly: true,
      ...(transfer ? { leg: 'in' as const, location: m.warehouse } : {}),
    });
  }
}

export function proposeFba(
  plan: Plan,
  id: string,
  f: Of<'fba-inventory' | 'fba-ledger'>,
  asOfFromName: (path: string) => string | undefined,
): void {
  const s = source(plan, id, () => ({
    id,
    connector: 'amazon-fba',
    role: 'marketplace',
    systemOfRecord: ['physical_movements'],
    locations: new Set([AMAZON_LOCATION]),
    settings: { networkLocation: AMAZON_LOCATION },
    notes: [],
  }));
  addLocation(plan, {
    id: AMAZON_LOCATION,
    level: 'warehouse',
    type: 'marketplace',
    name: 'Amazon',
  });
  const t = f.table;
  if (f.encoding) {
    s.settings!.encoding = f.encoding;
    plan.report.decide.push(
      `${f.path}: not UTF-8; read as ${f.encoding}, as Amazon writes reports for the Americas and Europe (settings.encoding: check the accents read right)`,
    );
  }
  if (f.kind === 'fba-inventory') {
    s.settings!.inventoryReport = f.path;
    const asOf = asOfFromName(f.path);
    if (asOf) s.settings!.inventoryAsOf = asOf;
    else
      plan.report.decide.push(
        `${f.path}: say when the inventory report was taken (settings.inventoryAsOf)`,
      );
    addStatuses(
      plan,
      id,
      t.header.filter((h) => /^afn-.*-quantity$/.test(h)),
    );
    return;
  }
  s.settings!.ledgerReport = f.path;
  const centres = distinct(t, column(t, 'Fulfillment Center'));
  s.settings!.fulfillmentCenterMap = Object.fromEntries(centres.map((c) => [c, AMAZON_LOCATION]));
  addStatuses(plan, id, distinct(t, column(t, 'Disposition')));
  plan.pending.marketplace.push(...ledgerMoves(id, t));
}

/** The ledger's movements, each on its UTC day as Amazon writes it (MM/DD/YYYY or YYYY-MM-DD). */
function ledgerMoves(id: string, t: Of<'fba-ledger'>['table']): Sighting[] {
  const [date, sku, ref, qty] = ['Date', 'MSKU', 'Reference ID', 'Quantity'].map((c) =>
    column(t, c),
  );
  if (!date || !sku || !qty) return [];
  const out: Sighting[] = [];
  for (const r of t.rows) {
    const d = date(r);
    const us = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(d);
    const day = us ? `${us[3]}-${us[1]}-${us[2]}` : d.slice(0, 10);
    const quantity = Number(qty(r));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(quantity) || quantity === 0) continue;
    out.push({
      system: id,
      reference: ref?.(r) ?? '',
      sku: sku(r),
      quantity,
      at: `${day} 00:00`,
      dateOnly: true,
      location: AMAZON_LOCATION,
    });
  }
  return out;
}

export type CanRead = (connector: string, settings: Record<string, unknown>) => boolean;

export function proposeShopify(
  plan: Plan,
  id: string,
  f: Of<'shopify-graphql'>,
  canRead: CanRead,
  asOfFromName: (path: string) => string | undefined,
): void {
  const asOf = asOfFromName(f.path);
  const settings = { inventoryFile: f.path, ...(asOf ? { inventoryAsOf: asOf } : {}) };
  const s = source(plan, id, () => ({
    id,
    connector: 'shopify',
    role: 'ecommerce',
    systemOfRecord: ['channel_availability'],
    locations: new Set(),
    settings,
    notes: [],
  }));
  for (const l of f.locations) addCode(plan, id, l.code, l.name ?? '', 'pending');
  addStatuses(plan, id, f.names);
  if (!asOf)
    plan.report.decide.push(`${f.path}: say when the pages were saved (settings.inventoryAsOf)`);
  if (canRead('shopify', settings)) return;
  s.disabled = `saved GraphQL pages (${f.path}) need an offline Shopify reader; this version reads Shopify only live`;
  plan.report.decide.push(`${f.path}: not read: ${s.disabled}`);
}
