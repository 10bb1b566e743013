/**
 * `tally serve [--console] [--pilot] [--port] [--data] [--exports]`: the Slack bot, the event endpoint
 * (near real-time), the write-back worker, the scheduler and a health endpoint.
 */
import type { Command } from 'commander';
import { queueOpenExceptions } from '../../server/serve.ts';
import { InputError } from '../../engine/core/errors.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { pilotActive, pilotEverything } from '../../engine/core/rules/pilot.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { openDb } from '../../engine/services/store/db.ts';
import { startServe } from '../../server/index.ts';
import { createLog } from '../../server/log.ts';
import { EXIT, reportError } from '../errors.ts';
import type { Knex } from 'knex';

type Raw = {
  console?: boolean;
  port: string;
  rules: string;
  data?: string;
  exports: string;
  once?: boolean;
  pilot?: boolean;
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
    .option(
      '--pilot',
      'pilot (shadow) mode for everything: reconcile and store, post nothing to owner channels, one daily report to Owners pilot.reportChannel',
    )
    .action(async (o: Raw) => {
      const slack = o.console ? null : slackConfigFromEnv(process.env);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InputError('BAD_PORT', `--port must be 0-65535, got "${o.port}"`);
      }
      const loaded = await loadRulesetOrThrow(o.rules);
      if (o.pilot && !loaded.pilot?.report) {
        throw new InputError(
          'PILOT_NO_REPORT',
          `--pilot needs a channel for the daily pilot report: add to ${o.rules}/owners.yaml\n  pilot:\n    reportChannel: '#tally-pilot'\n(see docs/rules.md "Pilot mode")`,
        );
      }
      const ruleset = o.pilot ? pilotEverything(loaded) : loaded;
      const log = createLog(process.env);
      // handlers first: a stop signal during a slow start-up still stops the process
      let stopping: (() => Promise<void>) | null = null;
      const onSignal = () => void (stopping ? stopping() : process.exit(EXIT.ok));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // a lost database is answered within seconds (503, Retry-After), not waited on for a minute
      const db = await openDb({ acquireTimeoutMs: 10_000 });
      let served: Awaited<ReturnType<typeof startServe>>;
      try {
        served = await startServe({
          db,
          ruleset,
          rulesDir: o.rules,
          dataDir: o.data,
          port,
          slack,
          digestCron: process.env.TALLY_DIGEST_CRON ?? ruleset.digest?.cron ?? '0 8 * * *',
          digestTimezone: digestTimezone(process.env) ?? ruleset.digest?.timezone,
          reminderHours: Number(process.env.TALLY_REMINDER_HOURS ?? '24'),
          exportDir: o.exports,
          log,
        });
      } catch (error) {
        // whatever started before the failure (a pool, a timer) must not keep a dead server alive
        process.exit(reportError(error, Boolean(program.opts().debug)));
      }
      stopping = () => stopWithin(served.stop, db, graceMs(process.env), log);
      const queued = await queueOpenExceptions(db, served.ruleset);
      log(
        `tally serve: ${slack ? (slack.appToken ? 'Socket Mode' : 'HTTP') : 'console'}${pilotNote(served.ruleset)} · ${queued} open exception(s) queued · events ${served.url}/events · health ${served.url}/health`,
      );
      if (o.once) {
        await served.writeback.drain();
        await served.worker.drain();
        await served.stop();
        await db.destroy();
        return;
      }
    });
}

function pilotNote(ruleset: Pick<Ruleset, 'pilot'>): string {
  const pilot = ruleset.pilot;
  if (!pilot || !pilotActive(pilot)) return '';
  const scope = pilot.all ? 'everything' : 'part';
  return ` · pilot (${scope}): report to ${pilot.report?.channel ?? '?'}`;
}

/** TALLY_DIGEST_TIMEZONE: an IANA zone (Europe/Berlin) for the digest's cron and date; UTC if unset. */
export function digestTimezone(env: NodeJS.ProcessEnv): string | undefined {
  const zone = env.TALLY_DIGEST_TIMEZONE?.trim();
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new InputError(
      'BAD_TIMEZONE',
      `TALLY_DIGEST_TIMEZONE="${zone}" is not a time zone: use an IANA name such as Europe/Berlin or America/New_York`,
    );
  }
  return zone;
}

/** How long a stop may take (TALLY_STOP_GRACE_MS, default 8 s: under a container's usual 10 s). */
function graceMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.TALLY_STOP_GRACE_MS ?? 8000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 8000;
}

/**
 * Stops taking work (HTTP, scheduler, outbox), lets what is in flight finish within the grace,
 * then exits; messages not sent stay in the outbox for the next start.
 */
async function stopWithin(
  stop: (graceMs: number) => Promise<void>,
  db: Knex,
  grace: number,
  log: (line: string) => void,
): Promise<never> {
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), grace).unref());
  const outcome = await Promise.race([
    stop(Math.max(0, grace - 500)).then(() => 'stopped' as const),
    timer,
  ]).catch((error: unknown) => {
    log(`tally serve: stop: ${String(error)}`);
    return 'failed' as const;
  });
  if (outcome === 'timeout')
    log(`tally serve: stopped after the ${grace} ms grace; the rest stays in the outbox`);
  await Promise.race([db.destroy(), new Promise((r) => setTimeout(r, 1000).unref())]);
  process.exit(EXIT.ok);
}
