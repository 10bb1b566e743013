/** `tally db migrate|status`: the database Tally uses (TALLY_DATABASE_URL or .tally/tally.db). */
import type { Command } from 'commander';
import { describeTarget, withDb } from '../../engine/services/store/db.ts';
import { migrateLatest, migrationStatus } from '../../engine/services/store/migrate.ts';

export function register(program: Command): void {
  const db = program
    .command('db')
    .description(
      'Manage the database: PostgreSQL from TALLY_DATABASE_URL, else SQLite at .tally/tally.db.',
    );
  db.command('migrate')
    .description('Apply pending migrations (commands also do this on first use).')
    .action(async () => {
      const applied = await withDb((conn) => migrateLatest(conn), { migrate: false });
      process.stdout.write(`database: ${describeTarget()}\n`);
      process.stdout.write(
        applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n',
      );
    });
  db.command('status')
    .description('Show the database in use and which migrations are applied or pending.')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { format: string }) => {
      const status = await withDb((conn) => migrationStatus(conn), { migrate: false });
      const target = describeTarget();
      if (opts.format === 'json') {
        process.stdout.write(JSON.stringify({ database: target, ...status }, null, 2) + '\n');
        return;
      }
      process.stdout.write(`database: ${target}\n`);
      process.stdout.write(`applied:  ${status.applied.join(', ') || '(none)'}\n`);
      process.stdout.write(`pending:  ${status.pending.join(', ') || '(none)'}\n`);
    });
}
