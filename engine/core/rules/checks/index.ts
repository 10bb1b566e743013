/** Every cross-file check, run over the documents that passed their schema. */
import type { LoadedDocs } from '../docs.ts';
import type { Problem } from '../problems.ts';
import type { CheckContext } from './context.ts';
import { declaredNames } from './declared.ts';
import { checkSources } from './sources.ts';
import { checkStatusMaps, checkUnits } from './tables.ts';
import { checkMappings } from './mappings.ts';
import { checkLocationFiles } from './location-files.ts';
import type { LocationRow } from '../location-files.ts';
import { checkBooks } from './books.ts';
import { checkRoles, checkTiming, checkTolerances } from './policy.ts';
import { checkClassification } from './rules.ts';
import { checkOwners } from './owners.ts';
import { checkAccounts } from './accounts.ts';
import { checkDigest, checkPilot } from './pilot.ts';

export function runChecks(
  docs: LoadedDocs,
  knownConnectors?: readonly string[],
  locationRows: readonly LocationRow[] = [],
): Problem[] {
  const ctx: CheckContext = {
    docs,
    problems: [],
    locationRows,
    ...(knownConnectors ? { knownConnectors } : {}),
  };
  const names = declaredNames(ctx);
  checkSources(ctx, names);
  checkStatusMaps(ctx, names);
  checkUnits(ctx, names);
  checkMappings(ctx, names);
  checkLocationFiles(ctx, names);
  checkBooks(ctx, names);
  checkTolerances(ctx, names);
  checkTiming(ctx, names);
  checkRoles(ctx, names);
  checkClassification(ctx);
  checkOwners(ctx);
  checkAccounts(ctx);
  checkPilot(ctx);
  checkDigest(ctx);
  return ctx.problems;
}
