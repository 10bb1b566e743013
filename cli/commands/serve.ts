/** `tally serve [--console] [--port]`: the Slack bot, the scheduler and a health endpoint. */
import type { Command } from 'commander';
import { queueOpenExceptions, serve } from '../../bot/serve.ts';
import { InputError } from '../../engine/errors.ts';
import { loadRulesetOrThrow } from '../../engine/rules/load.ts';
import { openDb } from '../../engine/store/db.ts';
import { executeRun } from './run.ts';

type Raw = { console?: boolean; port: string; rules: string; data?: string; once?: boolean };

/** Names exactly what is missing, so the person knows which variable to set. */
export function slackConfigFromEnv(env: NodeJS.ProcessEnv) {
  const missing = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new InputError(
      'SLACK_CREDENTIALS_MISSING',
      `missing ${missing.join(' and ')}: set ${missing.length > 1 ? 'them' : 'it'} (see README "Slack"), or run \`tally serve --console\` to print what would be posted`,
    );
  }
  return {
    token: env.SLACK_BOT_TOKEN!,
    signingSecret: env.SLACK_SIGNING_SECRET!,
    appToken: env.SLACK_APP_TOKEN || undefined,
    slackApiUrl: env.SLACK_API_URL || undefined,
  };
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the Slack bot, the outbox, the scheduler (reconcile, digest, reminders) and /health.',
    )
    .option('--console', 'no Slack: print what would be posted')
    .option('--port <port>', 'HTTP port for Slack requests and /health', process.env.PORT ?? '3000')
    .option('--rules <dir>', 'rules folder', 'rules')
    .option('--data <dir>', 'data folder the scheduled reconciliations read')
    .option('--once', 'console mode: print the queued messages and exit')
    .action(async (o: Raw) => {
      const slack = o.console ? null : slackConfigFromEnv(process.env);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InputError('BAD_PORT', `--port must be 0-65535, got "${o.port}"`);
      }
      const ruleset = await loadRulesetOrThrow(o.rules);
      const db = await openDb();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const served = await serve({
        db,
        ruleset,
        port,
        slack,
        digestCron: process.env.TALLY_DIGEST_CRON ?? '0 8 * * *',
        reminderHours: Number(process.env.TALLY_REMINDER_HOURS ?? '24'),
        log,
        reconcile: o.data
          ? async () =>
              (
                await executeRun({
                  rulesDir: o.rules,
                  dataDir: o.data!,
                  asOf: new Date().toISOString(),
                  format: 'json',
                  persist: true,
                  top: 0,
                })
              ).run.runId
          : undefined,
      });
      const queued = await queueOpenExceptions(db, ruleset);
      log(
        `tally serve: ${slack ? (slack.appToken ? 'Socket Mode' : 'HTTP') : 'console'} · ${queued} open exception(s) queued · health ${served.url}/health`,
      );
      if (o.once) {
        await served.worker.drain();
        await served.stop();
        await db.destroy();
        return;
      }
      const shutdown = async () => {
        await served.stop();
        await db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
