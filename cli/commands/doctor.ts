/** `tally doctor`: check the configuration end to end and say what to fix. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runDoctor, type Check } from '../../server/doctor.ts';
import { EXIT, wholeNumberOption } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check the configuration end to end: rules, database, Slack token and channels, sources.',
    )
    .option('--rules <dir>', 'rules folder', 'rules')
    .option('--data <dir>', 'data folder the file sources read')
    .option('--timeout <ms>', 'how long a live source may take to answer', '15000')
    .option('--format <format>', 'table or json', 'table')
    .action(async (raw: Record<string, string | undefined>) => {
      const checks = await runDoctor({
        rulesDir: resolve(raw.rules ?? 'rules'),
        dataDir: raw.data ? resolve(raw.data) : undefined,
        env: process.env,
        sourceTimeoutMs: wholeNumberOption(raw.timeout, '--timeout', 1),
      });
      const failed = checks.filter((c) => c.status === 'fail').length;
      if (raw.format === 'json') process.stdout.write(`${JSON.stringify({ checks, failed })}\n`);
      else process.stdout.write(`${render(checks).join('\n')}\n`);
      process.exitCode = failed > 0 ? EXIT.findings : EXIT.ok;
    });
}

const MARK = { ok: 'ok', warn: 'WARN', fail: 'FAIL' } as const;

function render(checks: Check[]): string[] {
  const width = Math.max(...checks.map((c) => `${c.area} ${c.subject}`.length));
  const rows = checks.map(
    (c) => `  ${MARK[c.status].padEnd(4)}  ${`${c.area} ${c.subject}`.padEnd(width)}  ${c.detail}`,
  );
  const fixes = checks
    .filter((c) => c.status !== 'ok' && c.fix)
    .map((c) => `  ${c.area} ${c.subject}: ${c.fix}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  return [
    ...rows,
    '',
    failed || warned
      ? `${failed} to fix, ${warned} to look at:`
      : `All ${checks.length} checks passed.`,
    ...fixes,
  ];
}
