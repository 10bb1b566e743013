/** `tally explain <sku> <location> [bucket]`: which rule decided and why, per source. */
import type { Command } from 'commander';
import { InputError } from '../../engine/core/errors.ts';
import { BUCKETS, type Bucket } from '../../engine/core/model/types.ts';
import { createTracingIntake, renderTrace, traceKey } from '../../engine/services/explain/index.ts';
import type { KeyTrace } from '../../engine/services/explain/index.ts';
import { EXIT } from '../errors.ts';
import { ingest } from '../../connectors/ingest.ts';
import { asOfFor, dataDirOf, loadRules, printProblems, rulesDirFor } from './rules/data.ts';

type Options = { rules?: string; data?: string; asOf?: string; source?: string; format: string };

export function register(program: Command): void {
  program
    .command('explain')
    .description('Explain the decision for one sku at one location: rule, facts, tolerance, route.')
    .argument('<sku>', 'canonical sku, e.g. SKU-00012')
    .argument('<location>', 'canonical location (a bin rolls up to the compare level)')
    .argument('[bucket]', `one of ${BUCKETS.join(', ')} (default: every bucket)`)
    .option('--rules <dir>', 'rules folder (default: <data>/rules if present, else ./rules)')
    .option('--data <dir>', 'data folder the sources read', '.')
    .option('--as-of <time>', 'ISO time (default: the demo folder’s as-of, else now)')
    .option('--source <id>', 'only this source')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nExample: tally explain SKU-00012 WH-EAST sellable --data demo\n' +
        'Exit codes: 0 explained, 1 nothing compared for that key, 2 bad input or rules.',
    )
    .action(async (sku: string, location: string, bucket: string | undefined, o: Options) => {
      process.exitCode = await explainCommand(sku, location, bucket, o);
    });
}

export async function explainCommand(
  sku: string,
  location: string,
  bucket: string | undefined,
  o: Options,
): Promise<number> {
  if (bucket !== undefined && !(BUCKETS as readonly string[]).includes(bucket)) {
    throw new InputError('BAD_BUCKET', `unknown bucket "${bucket}" (one of ${BUCKETS.join(', ')})`);
  }
  if (o.format !== 'text' && o.format !== 'json') {
    throw new InputError('BAD_OPTION', `--format must be text or json, not "${o.format}"`);
  }
  const dataDir = dataDirOf(o.data);
  const rulesDir = rulesDirFor(o.rules, dataDir);
  const loaded = await loadRules(rulesDir);
  if (!loaded.ruleset) {
    printProblems(rulesDir, loaded.problems);
    return EXIT.findings;
  }
  const ruleset = loaded.ruleset;
  if (o.source !== undefined && !ruleset.sources.has(o.source)) {
    throw new InputError(
      'UNKNOWN_SOURCE',
      `unknown source "${o.source}" (sources: ${[...ruleset.sources.keys()].join(', ')})`,
    );
  }
  const asOf = asOfFor(o.asOf, dataDir);
  const intake = createTracingIntake(ruleset);
  await ingest(ruleset, dataDir, intake, { asOf });
  const query = { asOf, sku, location, bucket: bucket as Bucket | undefined, source: o.source };
  const { traces } = await traceKey(ruleset, intake, query);
  if (o.format === 'json') {
    process.stdout.write(`${JSON.stringify({ asOf, traces: traces.map(toJson) }, null, 2)}\n`);
  } else if (traces.length === 0) {
    process.stdout.write(
      `nothing compared for ${sku} at ${location}${bucket ? ` ${bucket}` : ''} as of ${asOf}\n`,
    );
  } else {
    process.stdout.write(
      `As of ${asOf}\n\n${traces.map((t) => renderTrace(t).join('\n')).join('\n\n')}\n`,
    );
  }
  return traces.length > 0 ? EXIT.ok : EXIT.findings;
}

function toJson(t: KeyTrace) {
  const d = t.decidedBy;
  return {
    ...t,
    decidedBy: d ? { rule: d.name, file: d.file, line: d.line, priority: d.priority } : null,
    route: t.route
      ? { receivers: t.route.receivers.map((r) => r.name), path: t.route.path.map((n) => n.id) }
      : null,
  };
}
