/** `tally exceptions list|show`: the exceptions on record, filtered, as a table or JSON. */
import type { Evidence } from '../../engine/core/recon/types.ts';
import { describeCandidates } from '../../engine/core/recon/candidates.ts';
import { clip, fmtMoney, fmtSigned, padStart } from '../render/text.ts';
import type { Command } from 'commander';
import { InputError } from '../../engine/core/errors.ts';
import {
  listExceptions,
  showException,
  type ExceptionDetail,
  type ExceptionSummary,
} from '../../engine/services/exceptions/query.ts';
import { withDb } from '../../engine/services/store/db.ts';
import { oneOf } from './format.ts';

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

/**
 * Two lines per exception so the cause and the whole key fit in 80 columns:
 * what is wrong and where on the first, who owns it and how long on the second.
 */
function listTable(rows: ExceptionSummary[]): string {
  if (rows.length === 0) return 'no exceptions match\n';
  const idWidth = Math.max(...rows.map((r) => String(r.id).length)) + 1;
  const lines = rows.flatMap((r) => {
    const id = padStart(`#${r.id}`, idWidth);
    const pad = ' '.repeat(idWidth + 1);
    const flag = r.processFailure ? ' · PROCESS FAILURE' : '';
    const who = r.assignee ? `${r.owner}, assigned ${r.assignee}` : r.owner;
    return [
      clip(`${id} ${r.severity.toUpperCase()} ${r.cause}  ${r.sku} @ ${r.location} ${r.bucket}`),
      clip(
        `${pad}${r.source} ${fmtSigned(r.variance)} · ${r.state} · ${who} · ` +
          `value ${fmtMoney(r.valueAtRiskMinor, r.currency)} · seen ` +
          `${r.recurrenceCount}× since ${r.firstSeenAt.slice(0, 16).replace('T', ' ')}${flag}`,
      ),
    ];
  });
  return [...lines, `${rows.length} exception${rows.length === 1 ? '' : 's'}`].join('\n') + '\n';
}

/** The ranked causes with their facts for and against, and the comparisons of the same problem. */
function rankedAndLinked(ev: Evidence | null): string[] {
  const out: string[] = [];
  if (ev?.candidates?.length) {
    out.push('ranked causes:', ...describeCandidates(ev.candidates).map((l) => `  ${l}`));
  }
  if (ev?.linked?.length) {
    out.push('same problem, also seen in:');
    for (const l of ev.linked) {
      out.push(
        `  ${l.source} ${l.bucket}: ${l.quantity} vs expected ${l.expected} (${fmtSigned(l.variance)}, ${l.cause})`,
      );
    }
  }
  return out;
}

function detailText(d: ExceptionDetail): string {
  const lines = [
    `exception ${d.id}: ${d.cause} (${d.severity}), ${d.state}${d.processFailure ? ', PROCESS FAILURE' : ''}`,
    `key:        ${d.sku} @ ${d.location} / ${d.bucket}, source ${d.source}`,
    `variance:   ${fmtSigned(d.variance)} (value at risk ${fmtMoney(d.valueAtRiskMinor, d.currency)})`,
    `owner:      ${d.owner}${d.assignee ? `, assigned to ${d.assignee}` : ''}`,
    `seen:       ${d.firstSeenAt} .. ${d.lastSeenAt}, occurrences ${d.recurrenceCount}`,
    `causes:     ${d.causes.join(', ') || '-'}`,
    ...rankedAndLinked(d.evidence as Evidence | null),
    `ruleset:    ${d.rulesetVersion}`,
    'history:',
    ...d.history.map((h) => `  ${h.at}  ${h.from ?? '-'} -> ${h.to}  by ${h.actor}: ${h.reason}`),
  ];
  if (d.corrections.length) {
    lines.push('corrections:');
    for (const c of d.corrections)
      lines.push(
        `  #${c.id} ${c.state}: ${c.system} ${fmtSigned(c.deltaQuantity)} (${c.reasonCode}), value ${fmtMoney(c.valueMinor, c.currency)}, by ${c.proposer}`,
      );
  }
  lines.push('evidence:', JSON.stringify(d.evidence, null, 2));
  return lines.join('\n') + '\n';
}
