/**
 * `tally serve [--console] [--port] [--data] [--exports]`: the Slack bot, the event endpoint
 * (near real-time), the write-back worker, the scheduler and a health endpoint.
 */
import type { Command } from 'commander';
import { queueOpenExceptions } from '../../server/serve.ts';
import { InputError } from '../../engine/core/errors.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { openDb } from '../../engine/services/store/db.ts';
import { startServe } from '../../server/index.ts';

type Raw = {
  console?: boolean;
  port: string;
  rules: string;
  data?: string;
  exports: string;
  once?: boolean;
};

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
      'Run the Slack bot, the event endpoint (POST /events, /webhooks/shopify/<source>), ' +
        'correction write-back, the scheduler (reconcile, digest, reminders) and /health.',
    )
    .option('--console', 'no Slack: print what would be posted')
    .option('--port <port>', 'HTTP port for Slack, events and /health', process.env.PORT ?? '3000')
    .option('--rules <dir>', 'rules folder', 'rules')
    .option('--data <dir>', 'data folder the scheduled runs and the live ledger read')
    .option(
      '--exports <dir>',
      'folder for correction files of systems Tally cannot write to',
      '.tally/exports',
    )
    .option('--once', 'print the queued messages, deliver pending write-backs and exit')
    .action(async (o: Raw) => {
      const slack = o.console ? null : slackConfigFromEnv(process.env);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InputError('BAD_PORT', `--port must be 0-65535, got "${o.port}"`);
      }
      const ruleset = await loadRulesetOrThrow(o.rules);
      const db = await openDb();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const served = await startServe({
        db,
        ruleset,
        rulesDir: o.rules,
        dataDir: o.data,
        port,
        slack,
        digestCron: process.env.TALLY_DIGEST_CRON ?? '0 8 * * *',
        reminderHours: Number(process.env.TALLY_REMINDER_HOURS ?? '24'),
        exportDir: o.exports,
        log,
      });
      const queued = await queueOpenExceptions(db, served.ruleset);
      log(
        `tally serve: ${slack ? (slack.appToken ? 'Socket Mode' : 'HTTP') : 'console'} · ${queued} open exception(s) queued · events ${served.url}/events · health ${served.url}/health`,
      );
      if (o.once) {
        await served.writeback.drain();
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
