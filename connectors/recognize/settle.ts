/**
 * Settles what single files could not decide: bins seen only in movements, the site of
 * from/to movement files, ERP warehouses placed by name next to the other systems' locations,
 * and the posting lags and transit windows measured between systems.
 */
import type { Sighting } from './types.ts';
import type { Plan, SourcePlan } from './plan.ts';
import { addCode, addLocation, locationId } from './plan.ts';
import { PERCENTILE, measureLags, percentile, roundUpTo } from './sightings.ts';
import { proposeMarketplacePairing } from './marketplace.ts';

const GENERIC = new Set([
  'stores',
  'store',
  'warehouse',
  'fulfillment',
  'fulfilment',
  'centre',
  'center',
  'main',
  'the',
  'and',
]);
const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !GENERIC.has(w));

export function settle(plan: Plan, sightings: Sighting[]): void {
  const siteOf = (s: SourcePlan) => (s.locations.size === 1 ? [...s.locations][0] : undefined);
  for (const [file, id] of plan.pending.sites) {
    const site = siteOf(plan.sources.find((s) => s.id === id)!);
    if (site) file.constants = { ...file.constants, location: site };
  }
  for (const key of plan.pending.places) {
    const [id, code] = key.split('|') as [string, string];
    const site = siteOf(plan.sources.find((s) => s.id === id)!);
    if (!plan.locations.has(code) && site && code !== site)
      addLocation(plan, { id: code, level: 'bin', type: 'bin', parent: site });
  }
  for (const s of sightings) {
    if (s.location?.startsWith('@'))
      s.location = siteOf(plan.sources.find((x) => x.id === s.location!.slice(1))!);
  }
  placeWarehouses(plan);
  declareNamedPlaces(plan);
  chooseBooks(plan);
  const shop = plan.sources.find((s) => s.connector === 'shopify' && !s.disabled);
  if (shop && plan.pending.shopifyIds.size > 0)
    plan.skuAliases.set(shop.id, plan.pending.shopifyIds);
  proposeLags(plan, sightings);
  proposeMarketplacePairing(plan, sightings);
  askUndefinedUnits(plan);
}

/**
 * A unit word aliased to a unit nothing defines (a file's CS where no item master gives a case
 * size) would fail the rules' validation: the alias is left out and the size asked for; rows
 * in that unit stay out of the ledger, each named, until it is given.
 */
function askUndefinedUnits(plan: Plan): void {
  const u = plan.units;
  if (u.casePacks.size > 0) return;
  const defined = new Set(['each']);
  for (const conversions of u.skus.values())
    for (const unit of Object.keys(conversions)) defined.add(unit);
  for (const [word, unit] of u.aliases) {
    if (defined.has(unit)) continue;
    u.aliases.delete(word);
    plan.report.decide.push(
      `unit ${word}: how many each is one ${unit}? No item master says: give the skus' conversions in units.yaml (rows in ${word} are kept out until then, each named)`,
    );
  }
}

/** What a location id may be written as in the rules (mappings.schema.json). */
const LOCATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * A place a source names that no other file declared (a plain positions file's warehouse
 * column, a movements file's Lagerort, where no ERP or WMS lists its sites): a warehouse of its
 * own, so the rules written validate and run, and what kind of place it is asked. A code that
 * cannot be an id ("Lager Ost") gets one (LAGER-OST) through the source's locationCodes.
 */
function declareNamedPlaces(plan: Plan): void {
  for (const source of plan.sources) {
    if (source.disabled) continue;
    for (const code of [...source.locations]) {
      if (plan.locations.has(code)) continue;
      const id = LOCATION_ID.test(code) && code.length <= 64 ? code : locationId(code);
      if (id !== code) {
        addCode(plan, source.id, code, id);
        source.locations.delete(code);
        source.locations.add(id);
      }
      if (plan.locations.has(id)) continue;
      addLocation(plan, {
        id,
        level: 'warehouse',
        type: 'own_warehouse',
        todo: `named by the files alone: is it your own warehouse (its type), and part of a site?`,
      });
      plan.report.decide.push(
        `${source.id}: location ${id} is named by its files alone: declared as a warehouse of its own (mappings.yaml; say what kind of place it is)`,
      );
    }
  }
}

/**
 * A location two sources both keep physical movements for (a WMS's stock list and an ERP's
 * movement export in folders of their own) has one book, or the rules do not validate: the one
 * whose movements Tally read (a file of events), else the first, named in systemsOfRecord and
 * asked to be checked.
 */
function chooseBooks(plan: Plan): void {
  const keepers = plan.sources.filter(
    (s) => !s.disabled && s.systemOfRecord.includes('physical_movements'),
  );
  const claimed = new Map<string, SourcePlan[]>();
  for (const s of keepers)
    for (const l of s.locations) claimed.set(l, [...(claimed.get(l) ?? []), s]);
  for (const [location, sources] of claimed) {
    if (sources.length < 2) continue;
    const moves = (s: SourcePlan) => (s.files ?? []).some((f) => f.kind === 'events');
    const book = sources.find(moves) ?? sources[0]!;
    plan.books.set(location, book.id);
    plan.report.decide.push(
      `${location}: ${sources.map((s) => s.id).join(' and ')} both keep its physical movements; ${book.id} is taken as its book (systemsOfRecord in sources.yaml${moves(book) ? ': its movements were read' : ''}): check it`,
    );
  }
}

/** ERP warehouse names ("Reno 3PL - HP") matched by a shared word to another system's location. */
function placeWarehouses(plan: Plan): void {
  const known = [...plan.locations.values()].filter((l) => l.level !== 'bin');
  for (const [sourceId, codes] of plan.locationCodes) {
    const source = plan.sources.find((s) => s.id === sourceId)!;
    if (source.disabled) continue;
    for (const [code, entry] of codes) {
      if (entry.todo !== 'pending') continue;
      // a pending entry's id holds the code's display name, when the source gives one
      const name = entry.id || code;
      const what = entry.id ? `"${entry.id}" (${code})` : `"${code}"`;
      const bare = name.replace(/\s+-\s+[A-Z0-9]{1,6}$/, '');
      const hit = known.find((l) =>
        words(`${l.id} ${l.name ?? ''}`).some((w) => words(bare).includes(w)),
      );
      if (hit) {
        codes.set(code, { id: hit.id });
        source.locations.add(hit.id);
        plan.report.guessed.push(
          `${sourceId}: location ${what} placed at ${hit.id} (shares a word with "${hit.name ?? hit.id}")`,
        );
        continue;
      }
      const id = locationId(name);
      if (/transit/i.test(name)) {
        transitWarehouse(plan, source, code, id, name);
        continue;
      }
      addLocation(plan, {
        id,
        level: 'warehouse',
        type: `${source.role}_location`,
        name,
        todo: `which physical location is ${what}?`,
      });
      codes.set(code, { id, todo: `a location of its own until you say where ${what} is` });
      source.locations.add(id);
      plan.report.decide.push(
        `${sourceId}: where is ${what}? Map it in mappings.yaml locationCodes (now its own location ${id})`,
      );
    }
  }
}

/**
 * An ERP's transit warehouse (ERPNext's `Goods In Transit - <abbr>`, warehouse type Transit) is
 * not a place: a location of type `transit`, whose stock a run counts in the in_transit bucket
 * of the destination the other systems name for the same transfer (by its reference).
 */
function transitWarehouse(
  plan: Plan,
  source: SourcePlan,
  code: string,
  id: string,
  name: string,
): void {
  addLocation(plan, {
    id,
    level: 'warehouse',
    type: 'transit',
    name,
    note: "stock here is in transit: counted in the in_transit bucket of the transfer's destination",
  });
  plan.locationCodes.get(source.id)!.set(code, { id });
  source.locations.add(id);
  plan.report.guessed.push(
    `${source.id}: "${name}" is a transit warehouse: its stock is counted in transit at the destination the other systems name for the same transfer (location ${id}, type transit)`,
  );
}

function proposeLags(plan: Plan, sightings: Sighting[]): void {
  const { lags, transits } = measureLags(sightings);
  for (const l of lags) {
    const p = percentile(l.minutes);
    const minutes = roundUpTo(p, 15);
    const detail = l.dateOnly
      ? '; one side has dates only, placed at its 23:00 cut-off as a run reads it'
      : '';
    plan.postingLags.push({
      from: l.from,
      to: l.to,
      minutes,
      note: `p${PERCENTILE} of ${l.minutes.length} movements seen in both: ${Math.round(p)} min${detail}`,
    });
    plan.report.recognized.push(
      `posting lag ${l.from} → ${l.to}: ${minutes} min (p${PERCENTILE} of ${l.minutes.length} paired movements)`,
    );
  }
  for (const t of transits) {
    const p = percentile(t.hours);
    const hours = Math.max(24, Math.ceil(p * 1.5));
    plan.transitWindows.push({
      from: t.from,
      to: t.to,
      hours,
      note: `p${PERCENTILE} of ${t.hours.length} transfers seen leaving and arriving: ${Math.round(p)} h, plus half`,
    });
    plan.report.recognized.push(
      `in-transit window ${t.from} → ${t.to}: ${hours} h (p${PERCENTILE} of ${t.hours.length} transfers, plus half)`,
    );
  }
  if (lags.length === 0)
    plan.report.decide.push(
      'no movement was seen in two systems: posting lags are the 60-minute default',
    );
}
