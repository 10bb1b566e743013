/** `tally audit verify|export`: check the hash chain; hand a period to an auditor. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportAudit } from '../../engine/services/audit/export.ts';
import { verifyAudit } from '../../engine/services/audit/verify.ts';
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
      'Recompute the chain; exit 1 and name the first bad entry if a row was edited, deleted or reordered.',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { format: string }) => {
      const format = oneOf('--format', o.format, ['text', 'json'] as const);
      const result = await withDb((db) => verifyAudit(db));
      if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if (result.ok)
        process.stdout.write(
          `audit trail intact: ${result.checked} entries, head ${result.headHash.slice(0, 16)}\n`,
        );
      else
        process.stdout.write(
          `audit trail BROKEN at entry ${result.firstBad.seq} (${result.firstBad.problem}): ${result.firstBad.message}; ${result.checked} entries before it are intact\n`,
        );
      if (!result.ok) process.exitCode = EXIT.findings;
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
