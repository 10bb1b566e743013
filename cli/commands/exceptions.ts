/** `tally exceptions list|show`: the exceptions on record, filtered, as a table or JSON. */
import type { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import {
  listExceptions,
  showException,
  type ExceptionDetail,
  type ExceptionSummary,
} from '../../engine/exceptions/query.ts';
import { withDb } from '../../engine/store/db.ts';
import { cut, oneOf } from './format.ts';

const FORMATS = ['table', 'json'] as const;

export function register(program: Command): void {
  const cmd = program
    .command('exceptions')
    .description('List and inspect reconciliation exceptions.');
  cmd
    .command('list')
    .description('List exceptions, newest first.')
    .option(
      '--state <state>',
      'open, assigned, explained, correction_proposed, approved, applied, resolved, reopened, or live (all but resolved)',
    )
    .option('--owner <receiver>', 'owning team (receiver name)')
    .option('--location <location>', 'canonical location')
    .option('--severity <severity>', 'low, medium, high or critical')
    .option('--age <age>', 'opened at least this long ago, e.g. 36h or 2d')
    .option('--limit <n>', 'show at most n', '50')
    .option('--format <format>', 'table or json', 'table')
    .action(async (o: Record<string, string | undefined>) => {
      const format = oneOf('--format', o.format ?? 'table', FORMATS);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new InputError(
          'BAD_OPTION',
          `--limit must be a positive whole number, got "${o.limit}"`,
        );
      const rows = await withDb((db) =>
        listExceptions(db, {
          state: o.state,
          owner: o.owner,
          location: o.location,
          severity: o.severity,
          age: o.age,
          limit,
        }),
      );
      process.stdout.write(
        format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : listTable(rows),
      );
    });
  cmd
    .command('show <id>')
    .description('Show one exception with its evidence, history and corrections.')
    .option('--format <format>', 'table or json', 'table')
    .action(async (id: string, o: { format: string }) => {
      const format = oneOf('--format', o.format, FORMATS);
      if (!/^\d+$/.test(id))
        throw new InputError('BAD_ID', `exception id must be a number, got "${id}"`);
      const detail = await withDb((db) => showException(db, Number(id)));
      process.stdout.write(
        format === 'json' ? JSON.stringify(detail, null, 2) + '\n' : detailText(detail),
      );
    });
}

function listTable(rows: ExceptionSummary[]): string {
  if (rows.length === 0) return 'no exceptions match\n';
  const head = `${'id'.padStart(6)} ${cut('state', 12)} ${cut('sev', 8)} ${cut('sku', 14)} ${cut('location', 9)} ${cut('source', 8)} ${'var'.padStart(6)} ${cut('owner', 10)}`;
  const lines = rows.map(
    (r) =>
      `${String(r.id).padStart(6)} ${cut(r.state, 12)} ${cut(r.severity, 8)} ${cut(r.sku, 14)} ${cut(r.location, 9)} ${cut(r.source, 8)} ${String(r.variance).padStart(6)} ${cut(r.owner, 10)}`,
  );
  return [head, ...lines].join('\n') + '\n';
}

function detailText(d: ExceptionDetail): string {
  const lines = [
    `exception ${d.id}: ${d.cause} (${d.severity}), ${d.state}${d.processFailure ? ', PROCESS FAILURE' : ''}`,
    `key:        ${d.sku} @ ${d.location} / ${d.bucket}, source ${d.source}`,
    `variance:   ${d.variance} (value at risk ${d.valueAtRisk})`,
    `owner:      ${d.owner}${d.assignee ? `, assigned to ${d.assignee}` : ''}`,
    `seen:       ${d.firstSeenAt} .. ${d.lastSeenAt}, occurrences ${d.recurrenceCount}`,
    `causes:     ${d.causes.join(', ') || '-'}`,
    `ruleset:    ${d.rulesetVersion}`,
    'history:',
    ...d.history.map((h) => `  ${h.at}  ${h.from ?? '-'} -> ${h.to}  by ${h.actor}: ${h.reason}`),
  ];
  if (d.corrections.length) {
    lines.push('corrections:');
    for (const c of d.corrections)
      lines.push(
        `  #${c.id} ${c.state}: ${c.system} ${c.deltaQuantity > 0 ? '+' : ''}${c.deltaQuantity} (${c.reasonCode}), value ${c.value}, by ${c.proposer}`,
      );
  }
  lines.push('evidence:', JSON.stringify(d.evidence, null, 2));
  return lines.join('\n') + '\n';
}
