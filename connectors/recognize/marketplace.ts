/**
 * A marketplace beside an ERP: Amazon names a sale by its order id (`113-4400011-7000143`), the
 * ERP by its own invoice or delivery note (`ACC-SINV-2026-00211`), so the run's pairing by equal
 * reference never links the two records of one movement and every sale at the marketplace would
 * be a break. Where the two share no reference at the marketplace's location, `tally init`
 * proposes pairing them by proximity (a `referenceCrosswalk` entry with `proximity: true`: same
 * sku, location, type and quantity within the posting lag) and a posting lag measured on the
 * pairs that proximity finds in the folder.
 */
import { pairByProximity } from '../../engine/core/match/pair.ts';
import { makeDateParser } from '../shared/dates.ts';
import type { Plan, SourcePlan } from './plan.ts';
import { PERCENTILE, percentile, roundUpTo } from './sightings.ts';
import type { Sighting } from './types.ts';

/** Farther apart than this, two movements are not one movement posted late. */
const MAX_GAP_MINUTES = 7 * 24 * 60;

export function proposeMarketplacePairing(plan: Plan, sightings: Sighting[]): void {
  const local = makeDateParser('iso', plan.timezone);
  const marketplaces = plan.sources.filter((s) => s.role === 'marketplace' && !s.disabled);
  const erps = plan.sources.filter((s) => s.role === 'erp' && !s.disabled);
  for (const m of marketplaces) {
    const theirs = plan.pending.marketplace.filter((x) => x.system === m.id);
    for (const erp of erps) {
      const ours = atMarketplace(plan, erp, m, sightings);
      if (theirs.length === 0 || ours.length === 0) continue;
      const refs = new Set(theirs.map((x) => x.reference).filter(Boolean));
      if (ours.some((x) => refs.has(x.reference))) continue; // references pair as they are
      const utc = (x: Sighting) => Date.parse(`${x.at.replace(' ', 'T')}:00Z`);
      const wall = (x: Sighting) => Date.parse(local(x.at) ?? '');
      const candidate = (x: Sighting, i: number, source: number, atMs: number) => ({
        source,
        id: String(i),
        group: `${x.sku}|${x.quantity}`,
        occurredMs: atMs,
      });
      const pairs = pairByProximity(
        theirs.map((x, i) => candidate(x, i, 0, utc(x))),
        ours.map((x, i) => candidate(x, i, 1, wall(x))),
        () => MAX_GAP_MINUTES * 60_000,
      );
      propose(plan, m, erp, { pairs: pairs.map((p) => p.gapMs / 60_000), moves: theirs.length });
    }
  }
}

/** The ERP's movements at a warehouse placed at one of the marketplace's locations. */
function atMarketplace(plan: Plan, erp: SourcePlan, m: SourcePlan, sightings: Sighting[]) {
  const codes = plan.locationCodes.get(erp.id);
  return sightings.filter(
    (x) =>
      x.system === erp.id && !x.leg && x.place && m.locations.has(codes?.get(x.place)?.id ?? ''),
  );
}

function propose(
  plan: Plan,
  m: SourcePlan,
  erp: SourcePlan,
  seen: { pairs: number[]; moves: number },
): void {
  const where = [...m.locations].join(', ');
  const notes = [
    `${m.id} names a movement by its own order or shipment id and ${erp.id} by its own document number:`,
    `the two never share a reference at ${where}, so their movements pair by proximity instead — same sku,`,
    `location, type and quantity, occurred within the posting lag ${m.id} → ${erp.id} (timing-windows.yaml),`,
    'nearest first, one to one.',
  ];
  const n = seen.pairs.length;
  if (n === 0) {
    notes.push(
      `TODO: none of ${seen.moves} ${m.id} movements found a partner within 7 days: set the posting lag by hand`,
    );
    plan.report.decide.push(
      `${m.id} ↔ ${erp.id}: references never match and no movement paired by proximity; set postingLag ${m.id} → ${erp.id}`,
    );
  } else {
    const p = percentile(seen.pairs);
    const minutes = roundUpTo(p, 60);
    notes.push(`${n} of ${seen.moves} ${m.id} movements in the folder paired that way.`);
    plan.postingLags.push({
      from: m.id,
      to: erp.id,
      minutes,
      note: `p${PERCENTILE} of ${n} movements paired by proximity (references differ): ${Math.round(p)} min; ${m.id} gives days only, read as 00:00 UTC`,
    });
    plan.report.recognized.push(
      `posting lag ${m.id} → ${erp.id}: ${minutes} min (p${PERCENTILE} of ${n} movements paired by sku, quantity and time)`,
    );
  }
  plan.crosswalks.push({ sources: [m.id, erp.id], proximity: true, notes });
  plan.report.guessed.push(
    `${m.id} ↔ ${erp.id}: references never match at ${where}; movements pair by sku, type, quantity and time (referenceCrosswalk proximity)`,
  );
}
