/** Pilot mode: compiled from Sources schedules, Mappings locations and Owners `pilot`. */
import type { LoadedDocs } from './docs.ts';
import type { Pilot, Ruleset } from './types.ts';
import { declaredAt } from './declared-at.ts';
import { descendantsOf } from './locations.ts';

export const DEFAULT_PILOT_CRON = '0 7 * * *';

export function compilePilot(
  docs: LoadedDocs,
  childrenOf: ReadonlyMap<string, readonly string[]>,
): Pilot {
  const groups = docs.Sources.flatMap((at) => at.doc.schedules ?? [])
    .filter((s) => s.pilot === true)
    .map((s) => s.group);
  const roots = (docs.Mappings[0]?.doc.locations ?? []).filter((l) => l.pilot === true);
  const owners = docs.Owners[0];
  const doc = owners?.doc.pilot;
  return {
    all: false,
    groups: new Set(groups),
    locations: new Set(roots.flatMap((l) => descendantsOf(l.id, childrenOf))),
    ...(owners && doc
      ? {
          report: {
            ...declaredAt(owners, ['pilot']),
            channel: doc.reportChannel,
            cron: doc.reportCron ?? DEFAULT_PILOT_CRON,
            timezone: doc.timezone ?? 'UTC',
            ...(doc.compareReport !== undefined ? { compareReport: doc.compareReport } : {}),
          },
        }
      : {}),
  };
}

/** `tally serve --pilot`: everything is in pilot, whatever the rules say. */
export function pilotEverything<R extends Pick<Ruleset, 'pilot'>>(ruleset: R): R {
  const pilot = ruleset.pilot ?? { all: false, groups: new Set(), locations: new Set() };
  return { ...ruleset, pilot: { ...pilot, all: true } };
}

export function pilotActive(pilot: Pilot | undefined): boolean {
  return Boolean(pilot && (pilot.all || pilot.groups.size > 0 || pilot.locations.size > 0));
}

/** Whether a finding about this location and source stays out of owner channels. */
export function inPilot(
  ruleset: Pick<Ruleset, 'pilot'> & Partial<Pick<Ruleset, 'sources'>>,
  key: { location?: string; source?: string },
): boolean {
  const pilot = ruleset.pilot;
  if (!pilot) return false;
  if (pilot.all) return true;
  if (key.location !== undefined && pilot.locations.has(key.location)) return true;
  if (key.source === undefined || pilot.groups.size === 0) return false;
  const group = ruleset.sources?.get(key.source)?.group;
  return group !== undefined && pilot.groups.has(group);
}
