/**
 * `tally audit verify|anchor|export`: check the hash chain (against an anchor kept outside the
 * database); print the head to keep; hand a period to an auditor.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportAudit } from '../../engine/services/audit/export.ts';
import { verifyAudit, type VerifyResult } from '../../engine/services/audit/verify.ts';
import { auditAnchor } from '../../engine/services/audit/anchor.ts';
import { checkCloseHeads, type CloseHead } from '../../engine/services/close/heads.ts';
import { withDb } from '../../engine/services/store/db.ts';
import { EXIT } from '../errors.ts';
import { oneOf, timeBound } from './format.ts';

export function register(program: Command): void {
  const cmd = program
    .command('audit')
    .description('Verify and export the hash-chained audit trail.');
  cmd
    .command('verify')
    .description(
      'Recompute the chain; exit 1 and name the first bad entry if a row was edited, deleted or reordered. ' +
        'Keyed entries need TALLY_AUDIT_KEY.',
    )
    .option(
      '--anchor <head>',
      'a head printed earlier by `tally audit anchor`: also fail if that entry or any before it was changed or removed',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { format: string; anchor?: string }) => {
      const format = oneOf('--format', o.format, ['text', 'json'] as const);
      const { result, closes } = await withDb(async (db) => ({
        result: await verifyAudit(db, { anchor: o.anchor }),
        closes: await checkCloseHeads(db),
      }));
      if (format === 'json')
        process.stdout.write(JSON.stringify({ ...result, closes }, null, 2) + '\n');
      else process.stdout.write(describe(result) + describeCloses(closes));
      if (!result.ok || closes.some((c) => !c.ok)) process.exitCode = EXIT.findings;
    });
  cmd
    .command('anchor')
    .description(
      'Print the head of the chain as one token (<seq>-<hash>) to keep outside the database; ' +
        '`tally audit verify --anchor <token>` checks against it later.',
    )
    .action(async () => {
      process.stdout.write(`${await withDb((db) => auditAnchor(db))}\n`);
    });
  cmd
    .command('export')
    .description('Export audit entries of a period with their hashes, for auditors.')
    .option('--from <time>', 'first time included: ISO time, date or age such as 30d')
    .option('--to <time>', 'last time included (a date means the end of that day)')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o: { from?: string; to?: string; format: string; out?: string }) => {
      const format = oneOf('--format', o.format, ['csv', 'json'] as const);
      const text = await withDb((db) =>
        exportAudit(db, {
          format,
          from: timeBound('--from', o.from, false),
          to: timeBound('--to', o.to, true),
        }),
      );
      if (o.out) writeFileSync(o.out, text);
      else process.stdout.write(text);
    });
}

/** Each closed period's head at close (tally close): kept in the database beside the chain. */
function describeCloses(closes: CloseHead[]): string {
  return closes.map((c) => `${c.ok ? 'closed period' : 'CLOSED PERIOD'} ${c.message}\n`).join('');
}

function describe(result: VerifyResult): string {
  if (!result.ok)
    return `audit trail BROKEN at entry ${result.firstBad.seq} (${result.firstBad.problem}): ${result.firstBad.message}; ${result.checked} entries before it are intact\n`;
  const lines = [
    `audit trail intact: ${result.checked} entries, head ${result.headHash.slice(0, 16)}`,
  ];
  if (result.anchor) lines.push(`anchor ${result.anchor.seq} matches`);
  if (result.unkeyed > 0)
    lines.push(
      `${result.unkeyed} entries are unkeyed (written without TALLY_AUDIT_KEY): anyone who can edit the database could recompute them; keep anchors`,
    );
  return lines.join('\n') + '\n';
}
