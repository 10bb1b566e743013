/**
 * `tally pilot compare --data`: the data folder read through the connectors as of the compared
 * run, so a team-only key Tally kept nothing about (it matched) is traced like `tally explain`.
 */
import { ingest } from '../../connectors/ingest.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import {
  createTracingIntake,
  traceKey,
  type KeyTrace,
} from '../../engine/services/explain/index.ts';
import type { DataView } from '../../engine/services/pilot/compare.ts';

export async function dataView(ruleset: Ruleset, dataDir: string, asOf: string): Promise<DataView> {
  const intake = createTracingIntake(ruleset);
  await ingest(ruleset, dataDir, intake, { asOf });
  return {
    knowsSku: (sku) => intake.skus.find(sku) !== undefined,
    saw: async (sku, location) => {
      const { traces } = await traceKey(ruleset, intake, { asOf, sku, location });
      return traces.length === 0 ? null : describe(traces);
    },
  };
}

function describe(traces: KeyTrace[]): string {
  const equal = [...new Set(traces.filter((t) => !t.classified).map((t) => t.source))];
  const parts = traces
    .filter((t) => t.classified)
    .map((t) => {
      const e = t.evidence;
      const qty = e ? ` ${e.quantities[t.source] ?? '?'} vs expected ${e.expected}` : '';
      const outcome =
        t.outcome.type === 'match'
          ? `within tolerance by rule ${t.decidedBy?.name ?? '?'}`
          : t.outcome.type === 'explained'
            ? `explained ${t.outcome.code}`
            : `exception ${t.outcome.rootCause}`;
      return `${t.source} ${t.bucket}${qty}: ${outcome}`;
    });
  const where = parts.length > 0 ? 'in the other buckets' : 'in every bucket';
  if (equal.length > 0) parts.push(`${equal.join(', ')} equal to the ledger ${where}`);
  return parts.join('; ');
}
