/**
 * Everything `tally serve` runs, without the CLI: the Bolt app (or console mode), the outbox
 * worker, the scheduler (reconcile per source group, digest, reminders) and the health endpoint.
 */
import { messageKey } from '../bot/views/exception-message.ts';
import type { Knex } from 'knex';
import type { Ruleset } from '../engine/core/rules/types.ts';
import { buildApp, listen, type Routes, type SlackConfig } from '../bot/app.ts';
import {
  channelId,
  refreshDirectory,
  resolveReceivers,
  unresolvedChannels,
  type ChannelDirectory,
} from '../bot/channels.ts';
import type { BotContext } from '../bot/context.ts';
import { knexChannelPacer } from '../bot/outbox/pacer.ts';
import { runDigest, type RunDigestOptions } from '../bot/digest/post.ts';
import { notifyException, notifyRunId, recordDelivered } from '../bot/notify.ts';
import { consoleSender, slackSender } from '../bot/outbox/senders.ts';
import { outboxRenderer } from '../bot/rendering.ts';
import { knexOutboxStore } from '../bot/outbox/store.ts';
import { OutboxWorker, type WorkerOptions } from '../bot/outbox/worker.ts';
import { enqueueReminders } from '../bot/reminders/index.ts';
import { enqueuePilotReport } from '../bot/pilot/index.ts';
import { pilotActive } from '../engine/core/rules/pilot.ts';
import { Scheduler, type Job } from './scheduler/index.ts';
import { LIVE_STATES } from '../engine/services/exceptions/states.ts';
import type { Log } from '../engine/core/log.ts';

export type ServeOptions = {
  db: Knex;
  ruleset: Ruleset;
  port: number;
  /** null = console mode: print what would be posted. */
  slack: SlackConfig | null;
  /** Runs a reconciliation for one source group; returns the run id (null when nothing ran). */
  reconcile?: (group: string) => Promise<string | null>;
  digestCron: string;
  /** IANA time zone of the digest's cron and date (default UTC). */
  digestTimezone?: string;
  reminderHours: number;
  log: Log;
  /** Extra HTTP routes on the same server (the event endpoint). */
  routes?: Routes;
  /** `/tally run`: starts a run now (composed by server/index.ts). */
  runNow?: BotContext['runNow'];
  /** `/tally sku`: positions per source now (composed by server/index.ts). */
  skuPositions?: BotContext['skuPositions'];
  /** How often an incomplete channel directory is listed again (default one minute). */
  channelRetryMs?: number;
  /** Told of every Slack call the outbox makes (the /metrics histogram and 429 counter). */
  observeSlack?: WorkerOptions['observe'];
  /** Runs after a scheduled reconcile of a group persisted (e.g. reload the live ledger). */
  afterReconcile?: (group: string, runId: string) => Promise<void>;
};

export type Served = {
  url: string;
  worker: OutboxWorker;
  /** Fires one scheduled job now, claimed like a cron tick (e.g. `reconcile:nightly`). */
  fire: (job: string, at?: Date) => Promise<void>;
  /** The ruleset with channel names resolved to ids (Slack mode). */
  ruleset: Ruleset;
  /** Refuses new requests at once; in-flight ones get graceMs (default 5 s) to finish. */
  stop: (graceMs?: number) => Promise<void>;
};

export async function serve(options: ServeOptions): Promise<Served> {
  const built = options.slack
    ? buildApp(options.slack, {
        db: options.db,
        ruleset: options.ruleset,
        log: options.log,
        runNow: options.runNow,
        postDigest: async (actor) => postDigestNow(actor),
        skuPositions: options.skuPositions,
      })
    : null;
  const channels: ChannelDirectory | undefined = built ? new Map() : undefined;
  let listed = built ? await refreshDirectory(built.outboxClient, channels!, options.log) : true;
  const o =
    listed && channels
      ? {
          ...options,
          ruleset: {
            ...options.ruleset,
            receivers: resolveReceivers(options.ruleset.receivers, channels, options.log),
          },
        }
      : options;
  const worker = new OutboxWorker({
    store: knexOutboxStore(o.db),
    sender: built ? slackSender(built.outboxClient, channels) : consoleSender(),
    perChannelIntervalMs: built ? 1100 : 0,
    pacer: knexChannelPacer(o.db),
    log: o.log,
    onDelivered: recordDelivered(o.db),
    render: outboxRenderer(o.db, () => o.ruleset),
    observe: o.observeSlack,
  });
  const digestOptions: RunDigestOptions = {
    log: o.log,
    timezone: o.digestTimezone,
    ...(built
      ? {
          client: built.app.client,
          channelId: (channel: string) => channelId(channels, channel),
          permalink: async (channel: string, ts: string) =>
            (
              await built.app.client.chat.getPermalink({
                channel: channelId(channels, channel),
                message_ts: ts,
              })
            ).permalink ?? null,
        }
      : {}),
  };
  const postDigestNow = async (actor: string): Promise<string> => {
    const queued = await runDigest(o.db, o.ruleset, new Date(), {
      ...digestOptions,
      trigger: 'manual',
      waitMs: 30_000,
    });
    o.log(
      `digest: posted now by ${actor} to ${queued.map((q) => q.channel).join(', ') || 'nobody'}`,
    );
    return queued.length
      ? `Digest queued for ${queued.map((q) => q.channel).join(', ')}; the trend chart follows in its thread.`
      : 'No digest was posted: no receiver in owners.yaml has a digestChannel (see `tally doctor`).';
  };
  const jobs: Job[] = [
    {
      name: 'digest',
      cron: o.digestCron,
      timezone: o.digestTimezone,
      run: async (fireTime) => void (await runDigest(o.db, o.ruleset, fireTime, digestOptions)),
    },
    {
      name: 'reminders',
      cron: '*/15 * * * *',
      run: async () =>
        void (await enqueueReminders(o.db, o.reminderHours, new Date(), o.ruleset.receivers)),
    },
  ];
  const report = o.ruleset.pilot?.report;
  if (report && pilotActive(o.ruleset.pilot)) {
    jobs.push({
      name: 'pilot-report',
      cron: report.cron,
      timezone: report.timezone,
      run: async (fireTime) => void (await enqueuePilotReport(o.db, o.ruleset, fireTime)),
    });
  }
  for (const s of o.ruleset.schedules ?? []) {
    if (!o.reconcile) break;
    const reconcile = o.reconcile;
    jobs.push({
      name: `reconcile:${s.group}`,
      cron: s.cron,
      timezone: s.timezone,
      run: async () => {
        const runId = await reconcile(s.group);
        if (runId)
          o.log(`scheduled run of ${s.group} saved`, { runId, job: `reconcile:${s.group}` });
        if (runId) await notifyRunId(o.db, o.ruleset, runId);
        if (runId) await o.afterReconcile?.(s.group, runId);
      },
    });
  }
  const scheduler = new Scheduler({ db: o.db, jobs, log: o.log });
  // A failed list (or a channel the app was not invited to yet) is retried: names queued
  // meanwhile resolve in the sender once the directory knows them.
  const unresolved = () =>
    channels ? unresolvedChannels(options.ruleset.receivers, channels) : [];
  const retry =
    built && channels
      ? setInterval(() => {
          if (listed && unresolved().length === 0) return;
          void refreshDirectory(built.outboxClient, channels, o.log).then((ok) => {
            listed ||= ok;
          });
        }, options.channelRetryMs ?? 60_000)
      : null;
  const health = async () => {
    const count = async (state: string) => {
      const [row] = (await o.db('outbox').where({ state }).count({ n: '*' })) as { n: number }[];
      return Number(row?.n ?? 0);
    };
    const [pending, failed] = [await count('pending'), await count('failed')];
    const missing = unresolved();
    return {
      ok: listed && missing.length === 0 && failed === 0,
      mode: built ? built.mode : 'console',
      ruleset: o.ruleset.version.label,
      outboxPending: pending,
      outboxFailed: failed,
      channelsListed: listed,
      unresolvedChannels: missing,
    };
  };
  const http = await listen(
    { listener: built?.mode === 'http' ? built.listener : undefined },
    o.port,
    health,
    o.routes,
  );
  if (built?.mode === 'socket') await built.app.start();
  scheduler.start();
  worker.start();
  return {
    url: http.url,
    worker,
    fire: async (name, at = new Date()) => {
      const job = jobs.find((j) => j.name === name);
      if (!job)
        throw new Error(`no scheduled job "${name}" (jobs: ${jobs.map((j) => j.name).join(', ')})`);
      await scheduler.fire(job, at);
    },
    ruleset: o.ruleset,
    // Refuse new work first (HTTP, then socket mode and the schedule), let in-flight requests and
    // the message being sent finish within the grace; what is left stays in the outbox.
    stop: async (graceMs?: number) => {
      if (retry) clearInterval(retry);
      const httpClosed = http.close(graceMs);
      if (built?.mode === 'socket') await built.app.stop();
      await scheduler.stop();
      await worker.stop();
      await httpClosed;
    },
  };
}

/** Makes sure every open exception has its message queued (first start, console mode). */
export async function queueOpenExceptions(
  db: Knex,
  ruleset: Pick<Ruleset, 'receivers'>,
): Promise<number> {
  const ids = (await db('exceptions')
    .whereIn('state', LIVE_STATES as string[])
    .whereNull('slack_ts')
    .orderBy('id')
    .pluck('id')) as number[];
  // a message queued (by `tally run`, or before a restart) and not delivered yet goes out as
  // queued: notifying it again would add a chat.update per exception at every start
  const queued = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const keys = ids.slice(i, i + 500).map((id) => messageKey(Number(id)));
    for (const k of await db('outbox').whereIn('outbox_key', keys).pluck('outbox_key'))
      queued.add(String(k));
  }
  const missing = ids.filter((id) => !queued.has(messageKey(Number(id))));
  for (const id of missing) await notifyException(db, ruleset, Number(id));
  return missing.length;
}
