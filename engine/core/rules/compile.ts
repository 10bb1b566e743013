/** Turns validated documents into the runtime Ruleset; only called when there are no problems. */
import { currencyOfRules, type Ruleset, type RulesetVersion } from './types.ts';
import type { LoadedDocs } from './docs.ts';
import { compileSchedules, compileSources, compileStatusMaps } from './compile-sources.ts';
import {
  compileMappings,
  compileTiming,
  compileTolerances,
  compileUnits,
} from './compile-tables.ts';
import { compileClassification } from './compile-rules.ts';
import { resolveBooks } from './books.ts';
import { compileReceivers, compileRoles, compileRoutes } from './compile-owners.ts';
import { compileAccounts } from './compile-accounts.ts';
import { compilePilot } from './pilot.ts';
import { declaredAt } from './declared-at.ts';
import type { LocationRow } from './location-files.ts';

export function compileRuleset(
  docs: LoadedDocs,
  dir: string,
  files: string[],
  version: RulesetVersion,
  locationRows: readonly LocationRow[] = [],
): Ruleset {
  const mappings = compileMappings(docs.Mappings[0]!, locationRows);
  const units = compileUnits(docs.Units[0]!);
  const accounts = compileAccounts(docs.Accounts[0]);
  const childrenOf = new Map<string, string[]>();
  for (const l of mappings.locations.values()) {
    if (l.parent === undefined) continue;
    const siblings = childrenOf.get(l.parent);
    if (siblings) siblings.push(l.id);
    else childrenOf.set(l.parent, [l.id]);
  }
  const sources = compileSources(docs.Sources);
  const parentOf = new Map([...mappings.locations.values()].map((l) => [l.id, l.parent]));
  const entries = docs.Sources.flatMap((at) => at.doc.systemsOfRecord ?? []).map((e, index) => ({
    ...e,
    index,
  }));
  const bookSources = [...sources.values()].map((s, index) => ({ ...s, index }));
  return {
    dir,
    files,
    version,
    sources,
    books: resolveBooks(bookSources, entries, parentOf).books,
    statusMaps: compileStatusMaps(docs.StatusMap),
    units,
    mappings,
    tolerances: compileTolerances(docs.Tolerances[0]),
    timing: compileTiming(docs.TimingWindows[0]!),
    classification: compileClassification(docs.ClassificationRules),
    receivers: compileReceivers(docs.Owners[0]!),
    routes: compileRoutes(docs.Owners[0]!),
    roles: {
      ...compileRoles(docs.Roles[0]!, childrenOf),
      currency: currencyOfRules({ units, ...withAccounts(accounts) }),
    },
    schedules: compileSchedules(docs.Sources),
    ...withAccounts(accounts),
    pilot: compilePilot(docs, childrenOf),
    ...compileDigest(docs),
  };
}

function compileDigest(docs: LoadedDocs): Pick<Ruleset, 'digest'> {
  const owners = docs.Owners[0];
  const doc = owners?.doc.digest;
  return owners && doc ? { digest: { ...declaredAt(owners, ['digest']), ...doc } } : {};
}

function withAccounts(accounts: Ruleset['accounts']): Pick<Ruleset, 'accounts'> {
  return accounts ? { accounts } : {};
}
