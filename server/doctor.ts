/**
 * `tally doctor`: the configuration checked end to end, each check with what to do when it
 * fails — the rules, the database, Slack, and every source. Read-only: nothing is migrated,
 * posted or stored.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { WebClient } from '@slack/web-api';
import { CONNECTORS, getConnector } from '../connectors/registry.ts';
import type { Sink } from '../connectors/types.ts';
import { loadRuleset } from '../engine/core/rules/load.ts';
import { rulesWarnings } from '../engine/core/rules/warnings.ts';
import type { Ruleset, SourceDef } from '../engine/core/rules/types.ts';
import { describeTarget, openDb } from '../engine/services/store/db.ts';
import { migrationStatus } from '../engine/services/store/migrate.ts';
import { channelDirectory, channelId } from '../bot/channels.ts';
import { digestAudiences } from '../bot/digest/index.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export type Check = {
  area: string;
  subject: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
};

export type DoctorOptions = {
  rulesDir: string;
  dataDir?: string;
  env: NodeJS.ProcessEnv;
  /** How long a live source may take to deliver its first row. */
  sourceTimeoutMs: number;
};

export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const ruleset = await checkRules(o.rulesDir, checks);
  await checkDatabase(o.env, checks);
  if (ruleset) checkDigest(ruleset, o.env, checks);
  if (ruleset) await checkSlack(ruleset, o.env, checks);
  if (ruleset) await checkSources(ruleset, o, checks);
  return checks;
}

async function checkRules(dir: string, checks: Check[]): Promise<Ruleset | null> {
  const knownConnectors = CONNECTORS.map((c) => c.id);
  const { ruleset, problems } = await loadRuleset(dir, { knownConnectors });
  if (!ruleset || problems.length > 0) {
    checks.push({
      area: 'rules',
      subject: dir,
      status: 'fail',
      detail: `${problems.length} problem(s), first: ${problems[0]?.message ?? 'not loadable'}`,
      fix: `tally rules validate ${dir} lists every problem with its file and line`,
    });
    return null;
  }
  checks.push({
    area: 'rules',
    subject: dir,
    status: 'ok',
    detail: `valid, version ${ruleset.version.label}`,
  });
  for (const w of rulesWarnings(ruleset))
    checks.push({
      area: 'rules',
      subject: `${w.code} ${w.file}:${w.line}`,
      status: 'warn',
      detail: w.message,
      fix: `tally rules validate ${dir} explains each warning`,
    });
  return ruleset;
}

/** Who gets the manager digest: only receivers with a digestChannel, never a team channel. */
function checkDigest(ruleset: Ruleset, env: NodeJS.ProcessEnv, checks: Check[]): void {
  const { channels, without } = digestAudiences(ruleset.receivers);
  const zone = env.TALLY_DIGEST_TIMEZONE?.trim() || ruleset.digest?.timezone || 'UTC';
  const when = `${env.TALLY_DIGEST_CRON ?? ruleset.digest?.cron ?? '0 8 * * *'} (${zone})`;
  if (channels.size === 0) {
    checks.push({
      area: 'digest',
      subject: 'channels',
      status: 'warn',
      detail: 'no receiver has a digestChannel: the daily digest is posted nowhere',
      fix: 'add digestChannel to the receivers managers read, in owners.yaml',
    });
    return;
  }
  const to = [...channels].map(([channel, owners]) => `${channel} (${owners.join(', ')})`);
  checks.push({
    area: 'digest',
    subject: 'channels',
    status: without.length ? 'warn' : 'ok',
    detail:
      `at ${when} to ${to.join('; ')}` +
      (without.length ? `; left out, no digestChannel: ${without.join(', ')}` : ''),
    ...(without.length ? { fix: 'add digestChannel to those receivers in owners.yaml' } : {}),
  });
}

async function checkDatabase(env: NodeJS.ProcessEnv, checks: Check[]): Promise<void> {
  const where = env.TALLY_DATABASE_URL ? { url: env.TALLY_DATABASE_URL } : {};
  const target = describeTarget(where);
  try {
    const db = await openDb({ ...where, migrate: false });
    try {
      const { applied, pending } = await migrationStatus(db);
      checks.push(
        pending.length === 0
          ? {
              area: 'database',
              subject: target,
              status: 'ok',
              detail: `reachable, ${applied.length} migrations applied`,
            }
          : {
              area: 'database',
              subject: target,
              status: 'warn',
              detail: `reachable, ${pending.length} migration(s) pending: ${pending.join(', ')}`,
              fix: 'tally db migrate (every command also migrates on first use)',
            },
      );
    } finally {
      await db.destroy();
    }
  } catch (error) {
    checks.push({
      area: 'database',
      subject: target,
      status: 'fail',
      detail: (error as Error).message,
      fix: 'check TALLY_DATABASE_URL (postgres://user:password@host:5432/db) and that the server runs',
    });
  }
}

async function checkSlack(
  ruleset: Ruleset,
  env: NodeJS.ProcessEnv,
  checks: Check[],
): Promise<void> {
  if (!env.SLACK_BOT_TOKEN) {
    checks.push({
      area: 'slack',
      subject: 'credentials',
      status: 'warn',
      detail: 'SLACK_BOT_TOKEN is not set: tally serve only runs with --console',
      fix: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README "Slack")',
    });
    return;
  }
  if (!env.SLACK_SIGNING_SECRET) {
    checks.push({
      area: 'slack',
      subject: 'SLACK_SIGNING_SECRET',
      status: 'fail',
      detail: 'not set: Slack requests cannot be verified',
      fix: "copy the Signing Secret from the app's Basic Information page",
    });
  }
  const client = new WebClient(env.SLACK_BOT_TOKEN, {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    retryConfig: { retries: 0 },
  });
  try {
    const auth = await client.auth.test();
    checks.push({
      area: 'slack',
      subject: 'token',
      status: 'ok',
      detail: `valid for ${auth.team ?? 'the workspace'} as ${auth.user ?? 'the bot'}`,
    });
  } catch (error) {
    checks.push({
      area: 'slack',
      subject: 'token',
      status: 'fail',
      detail: `auth.test refused it: ${(error as Error).message}`,
      fix: 'install the app again and copy the Bot User OAuth Token (xoxb-…)',
    });
    return;
  }
  try {
    const dir = await channelDirectory(client);
    for (const [name, receiver] of ruleset.receivers) {
      const channels = new Set([receiver.slackChannel, receiver.digestChannel]);
      for (const wanted of channels) {
        if (!wanted) continue;
        const id = channelId(dir, wanted);
        const known = !wanted.startsWith('#') || id !== wanted;
        checks.push({
          area: 'slack',
          subject: `receiver ${name}`,
          status: known ? 'ok' : 'fail',
          detail: known ? `${wanted} → ${id}` : `channel ${wanted} not found`,
          ...(known
            ? {}
            : { fix: `invite the Tally app to ${wanted} (/invite @Tally), or fix owners.yaml` }),
        });
      }
    }
  } catch (error) {
    checks.push({
      area: 'slack',
      subject: 'channels',
      status: 'fail',
      detail: `conversations.list failed: ${(error as Error).message}`,
      fix: 'the app needs the channels:read and groups:read scopes (slack/manifest.yaml)',
    });
  }
}

async function checkSources(ruleset: Ruleset, o: DoctorOptions, checks: Check[]): Promise<void> {
  for (const source of ruleset.sources.values()) {
    if (source.files?.length) checkFiles(source, o.dataDir, checks);
    else await checkLive(source, o, checks);
  }
}

function checkFiles(source: SourceDef, dataDir: string | undefined, checks: Check[]): void {
  if (!dataDir) {
    checks.push({
      area: 'source',
      subject: source.id,
      status: 'warn',
      detail: `reads ${source.files!.length} file(s); no --data folder given to look for them`,
      fix: 'tally doctor --data <folder>',
    });
    return;
  }
  const root = realpathSync(dataDir);
  for (const f of source.files!) {
    const path = isAbsolute(f.path) ? f.path : join(dataDir, f.path);
    const subject = `${source.id} ${f.path}`;
    if (!existsSync(path)) {
      checks.push({
        area: 'source',
        subject,
        status: 'fail',
        detail: 'file not found',
        fix: `put the export at ${join(dataDir, f.path)} or fix files[].path`,
      });
      continue;
    }
    const inside = !relative(root, realpathSync(path)).startsWith('..');
    const size = statSync(path).size;
    checks.push(
      !inside
        ? {
            area: 'source',
            subject,
            status: 'fail',
            detail: 'resolves outside the data folder',
            fix: 'copy the file into the data folder',
          }
        : size === 0
          ? {
              area: 'source',
              subject,
              status: 'fail',
              detail: 'empty file (0 bytes)',
              fix: 'export it again',
            }
          : {
              area: 'source',
              subject,
              status: 'ok',
              detail: `present, ${size.toLocaleString('en-US')} bytes`,
            },
    );
  }
}

/** A live source is reachable when it delivers a first row (the read is then abandoned). */
async function checkLive(source: SourceDef, o: DoctorOptions, checks: Check[]): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), o.sourceTimeoutMs);
  let rows = 0;
  const got = () => {
    rows++;
    abort.abort();
  };
  const sink: Sink = { opening: got, position: got, event: got, item: got, reject: got };
  const started = performance.now();
  try {
    await getConnector(source.connector).read(
      { source, dataDir: o.dataDir ?? '.', signal: abort.signal },
      sink,
    );
  } catch (error) {
    if (rows === 0) {
      const timedOut = abort.signal.aborted;
      checks.push({
        area: 'source',
        subject: source.id,
        status: 'fail',
        detail: timedOut ? `no answer within ${o.sourceTimeoutMs} ms` : (error as Error).message,
        fix: `check ${source.id}'s address and credentials (docs/connectors/)`,
      });
      return;
    }
  } finally {
    clearTimeout(timer);
  }
  const ms = Math.round(performance.now() - started);
  checks.push(
    rows > 0
      ? {
          area: 'source',
          subject: source.id,
          status: 'ok',
          detail: `reachable, first row in ${ms} ms`,
        }
      : {
          area: 'source',
          subject: source.id,
          status: 'warn',
          detail: 'reachable but delivered no row',
          fix: 'a source that contributes nothing makes every run incomplete',
        },
  );
}
