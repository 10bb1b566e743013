/** The receiver the Owners tree picks for a result (the same labels `tally run` routes with). */
import type { KeyResult } from '../../engine/recon/types.ts';
import { routeFor } from '../../engine/rules/routing.ts';
import type { Ruleset } from '../../engine/rules/types.ts';

export function ownersFor(ruleset: Ruleset): (k: KeyResult) => string {
  return (k) => {
    const cause =
      k.outcome.type === 'exception'
        ? k.outcome.rootCause
        : k.outcome.type === 'explained'
          ? k.outcome.code
          : 'MATCH';
    const labels = {
      sku: k.sku,
      location: k.location,
      bucket: k.bucket,
      source: k.source,
      cause,
      severity: k.severity ?? '',
    };
    return routeFor(ruleset, labels).receivers[0]?.name ?? '';
  };
}
