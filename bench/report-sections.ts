/** The benchmark report's sections after the batch: live path, persistence, Slack delivery. */
import { fmtInt, fmtMs, table } from '../cli/render/text.ts';
import { mark, TARGETS } from './targets.ts';
import type { BenchReport, Load } from './types.ts';

export const loadText = (l: Load) => `load average ${l.map((x) => x.toFixed(2)).join(', ')}`;

export function renderLive(live: BenchReport['live']): string[] {
  if (!live) return [];
  const { database: db, slack } = live;
  const rows = [
    [
      'event → exception in the database',
      fmtMs(db.medianMs),
      fmtMs(db.p95Ms),
      fmtMs(db.maxMs),
      `≤ 100 ms ${mark(db.p95Ms <= TARGETS.liveDatabaseP95Ms)}`,
    ],
    [
      'webhook → HTTP 200 (stored)',
      fmtMs(slack.stored.medianMs),
      fmtMs(slack.stored.p95Ms),
      fmtMs(slack.stored.maxMs),
      `≤ 100 ms ${mark(slack.stored.p95Ms <= TARGETS.liveDatabaseP95Ms)}`,
    ],
    [
      'webhook → chat.update (fake Slack)',
      fmtMs(slack.slack.medianMs),
      fmtMs(slack.slack.p95Ms),
      fmtMs(slack.slack.maxMs),
      `≤ 1 s ${mark(slack.slack.p95Ms <= TARGETS.liveSlackP95Ms)}`,
    ],
  ];
  return [
    '',
    `Live path with ${fmtInt(live.keys)} keys in the ledger (${db.samplesMs.length} events in ` +
      `the database figure, ${slack.events} webhooks 1.3 s apart through tally serve)`,
    // the slowest too: a one-off stall (a table doubling, a long collection) hides under a p95
    ...table(['', 'median', 'p95', 'max', 'p95 target'], rows),
    `  live ledger loaded in ${fmtMs(db.loadMs)}; ${fmtInt(db.openExceptions)} open exceptions; ` +
      loadText(live.load),
  ];
}

export function renderPersist(persist: BenchReport['persist']): string[] {
  if (!persist?.length) return [];
  const rows = persist.map((p) => [
    p.engine,
    fmtMs(p.firstPersistMs),
    fmtMs(p.secondPersistMs),
    fmtMs(p.eventsLoadMs),
    fmtMs(p.positionsLoadMs),
  ]);
  const first = persist[0]!;
  return [
    '',
    `Persistence: a synthetic run with ${fmtInt(first.results)} results (first, then again), ` +
      `bulk load of ${fmtInt(first.bulkRows)} rows`,
    ...table(['engine', 'persist 1', 'persist 2', 'events', 'positions'], rows),
  ];
}

export function renderDelivery(d: BenchReport['delivery']): string[] {
  if (!d) return [];
  const rows = [
    [
      'delivered',
      `${fmtInt(d.delivered)} / ${fmtInt(d.messages)}`,
      mark(d.delivered === d.messages && d.failed === 0),
    ],
    ['duplicates in Slack', fmtInt(d.duplicates), `0 ${mark(d.duplicates === 0)}`],
    [
      'max posts per channel in any 1 s',
      fmtInt(d.maxPostsPerSecond),
      `≤ 1 ${mark(d.maxPostsPerSecond <= TARGETS.deliveryMaxPerSecond)}`,
    ],
    ['  counting refused calls too', fmtInt(d.maxCallsPerSecond), ''],
    ['answered 429 / 500', `${fmtInt(d.answered429)} / ${fmtInt(d.answered500)}`, ''],
    ['time to deliver all', fmtMs(d.wallMs), ''],
  ];
  return [
    '',
    `Slack delivery: ${fmtInt(d.messages)} messages to ${d.channels} channels through the outbox, ` +
      'fake Slack answering 20 % 429 (Retry-After 1 s) and 5 % 500 (half after the post landed)',
    ...table(['', 'figure', 'target'], rows),
    `  ${loadText(d.load)}`,
  ];
}
