/**
 * What a run saves reads back as the run produced it: each exception's evidence, the evidence of
 * its history entries (shared with the exception until the exception's changes, then kept as
 * written), and the card and evidence thread queued for Slack (by name, rendered from the stored
 * exception when sent), as `tally run` saves them (one transaction, messages queued inside it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyRun, type Routing } from '../../bot/notify.ts';
import { loadCard, loadCards } from '../../bot/card.ts';
import { knexOutboxStore } from '../../bot/outbox/store.ts';
import type { Rendering } from '../../bot/outbox/types.ts';
import { outboxRenderer } from '../../bot/rendering.ts';
import { evidenceBlocks } from '../../bot/views/evidence.ts';
import { exceptionMessage, messageKey } from '../../bot/views/exception-message.ts';
import { CONNECTORS } from '../../connectors/registry.ts';
import { readEvidence } from '../../engine/core/recon/stored-evidence.ts';
import type { Evidence, KeyResult, RunResult } from '../../engine/core/recon/types.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import type { Ruleset } from '../../engine/core/rules/types.ts';
import { historyOf } from '../../engine/services/exceptions/history.ts';
import { persistRun, type PersistSummary } from '../../engine/services/exceptions/persist-run.ts';
import { ownerOf } from '../../engine/services/impact/labels.ts';
import type { Db } from '../../engine/services/store/db.ts';
import { keyResult, runResult } from './fixtures.ts';
import { testDatabases } from '../support/databases.ts';

let ruleset: Ruleset;
beforeAll(async () => {
  ruleset = await loadRulesetOrThrow('rules', { knownConnectors: CONNECTORS.map((c) => c.id) });
});

const NOW = new Date('2026-11-10T12:00:00.000Z');

/** A result whose evidence says `note` (so two runs' evidence differ). */
function result(sku: string, variance: number, note: string): KeyResult {
  const r = keyResult({ sku, location: 'WH-EAST', source: 'shop', variance });
  r.evidence!.facts = { ...r.evidence!.facts, category: note };
  return r;
}

/** The last save's summary, as its messages were queued from it. */
let saved: PersistSummary;

/** Saves the run as `tally run` does; returns the evidence each key's exception should hold. */
async function save(db: Db, run: RunResult): Promise<Map<string, Evidence>> {
  const produced = new Map(run.results.map((r) => [r.sku, structuredClone(r.evidence!)]));
  saved = await persistRun(db, run, {
    owners: (k) => ownerOf(ruleset, k),
    onPersisted: async (trx, summary) => void (await notifyRun(trx, ruleset, summary, NOW)),
  });
  return produced;
}

describe.each(testDatabases())('evidence saved by a run on $name', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(() => engine.close());

  const idOf = async (sku: string) =>
    Number(((await db('exceptions').where({ sku }).first('id')) as { id: number }).id);
  const storedEvidence = async (sku: string) =>
    readEvidence<unknown>(
      ((await db('exceptions').where({ sku }).first('evidence')) as { evidence: string }).evidence,
    );
  const historyEvidence = async (sku: string) =>
    (await historyOf(db, await idOf(sku))).map((h) => ({
      to: h.to,
      evidence: h.evidence === null ? null : readEvidence<unknown>(h.evidence),
    }));

  it('reads back each exception, its history entry and its queued messages as produced', async () => {
    const produced = await save(
      db,
      runResult({
        runId: 'r1',
        asOf: '2026-11-01T00:00:00.000Z',
        results: [result('SKU-A', 4, 'first'), result('SKU-B', -3, 'first')],
      }),
    );
    const queued = new Map(
      (await knexOutboxStore(db).due(NOW, 60_000, 100)).map((row) => [row.key, row.payload]),
    );
    for (const sku of ['SKU-A', 'SKU-B']) {
      const evidence = produced.get(sku)!;
      expect(await storedEvidence(sku)).toEqual(evidence);
      expect(await historyEvidence(sku)).toEqual([{ to: 'open', evidence }]);

      // queued by name, rendered from the stored exception when sent: as the run produced it
      const card = { ...(await loadCard(db, await idOf(sku)))!, evidence };
      const group = ruleset.receivers.get(card.owner)?.ownerGroup;
      const rules = (ruleset as Routing).classification?.rules ?? [];
      const render = outboxRenderer(db, () => ruleset);
      const message = queued.get(messageKey(card.id));
      expect(message).toMatchObject({
        kind: 'post',
        render: { exceptionId: card.id, part: 'message' },
        exceptionId: String(card.id),
      });
      expect(await render((message as { render: Rendering }).render, NOW)).toEqual(
        exceptionMessage(card, NOW, { group }),
      );
      const thread = queued.get(`exception:${card.id}:evidence`);
      expect(thread).toMatchObject({
        kind: 'post',
        render: { exceptionId: card.id, part: 'evidence' },
        threadOfKey: messageKey(card.id),
      });
      expect((await render((thread as { render: Rendering }).render, NOW))!.blocks).toEqual(
        evidenceBlocks(card, rules),
      );
    }
    // cards built with the run's evidence in memory (one known, one read) equal cards read whole
    const ids = [await idOf('SKU-A'), await idOf('SKU-B')];
    const known = new Map([[ids[0]!, produced.get('SKU-A')!]]);
    expect(await loadCards(db, ids, known)).toEqual(await loadCards(db, ids));
    // and with the rows the run inserted, not read back
    expect(saved.openedRows?.size).toBe(2);
    expect(await loadCards(db, ids, saved.writtenEvidence, saved.openedRows)).toEqual(
      await loadCards(db, ids),
    );
  });

  it('turns a post of an opened exception into an update when its message is queued already', async () => {
    // the run's messages are queued from what it opened without looking for them first: were
    // one there, it is not posted twice
    const ids = [...saved.openedRows!.keys()];
    const keys = (await db('outbox').pluck('outbox_key')) as string[];
    const posts = keys.filter((k) => !k.includes(':update:')).sort();
    await notifyRun(db, ruleset, saved, new Date(NOW.getTime() + 1000));
    const after = (await db('outbox').pluck('outbox_key')) as string[];
    expect(after.filter((k) => !k.includes(':update:')).sort()).toEqual(posts);
    const updates = after.filter((k) => !keys.includes(k));
    expect(updates.sort()).toEqual(
      ids.map((id) => `exception:${id}:update:1:${NOW.getTime() + 1000}`).sort(),
    );
  });

  it('keeps each history entry as written once the exception has new evidence', async () => {
    const first = (await historyEvidence('SKU-A'))[0]!.evidence;
    const second = await save(
      db,
      runResult({
        runId: 'r2',
        asOf: '2026-11-02T00:00:00.000Z',
        results: [result('SKU-A', 6, 'second'), result('SKU-B', -3, 'first')],
      }),
    );
    expect(await storedEvidence('SKU-A')).toEqual(second.get('SKU-A'));
    expect(await historyEvidence('SKU-A')).toEqual([{ to: 'open', evidence: first }]);

    await save(
      db,
      runResult({
        runId: 'r3',
        asOf: '2026-11-03T00:00:00.000Z',
        results: [result('SKU-B', -3, 'first')],
      }),
    );
    const fourth = await save(
      db,
      runResult({
        runId: 'r4',
        asOf: '2026-11-04T00:00:00.000Z',
        results: [result('SKU-A', 9, 'fourth'), result('SKU-B', -3, 'first')],
      }),
    );
    const back = {
      ...fourth.get('SKU-A')!,
      lastMatchedRunId: 'r3',
      lastMatchedAt: '2026-11-03T00:00:00.000Z',
    };
    expect(await storedEvidence('SKU-A')).toEqual(back);
    expect(await historyEvidence('SKU-A')).toEqual([
      { to: 'open', evidence: first },
      { to: 'resolved', evidence: { runId: 'r3', asOf: '2026-11-03T00:00:00.000Z' } },
      { to: 'reopened', evidence: back },
    ]);
  });

  it('updates every continuing exception of a large run, each history entry kept as written', async () => {
    // more exceptions than one statement slice of the save (persist-run.ts), so every slice
    // keeps its history's evidence before changing the exceptions' own
    const skus = Array.from({ length: 700 }, (_, i) => `SKU-S${String(i).padStart(4, '0')}`);
    const run = (runId: string, asOf: string, note: string) =>
      runResult({ runId, asOf, results: skus.map((sku, i) => result(sku, (i % 9) + 1, note)) });
    const first = await save(db, run('big-1', '2026-11-05T00:00:00.000Z', 'before'));
    // the cards its messages were queued from (its rows, not read back: more than a query's
    // worth of ids) equal the cards read whole
    const ids = (await db('exceptions').whereIn('sku', skus).orderBy('id').pluck('id')).map(Number);
    expect(saved.openedRows?.size).toBe(skus.length);
    expect(await loadCards(db, ids, saved.writtenEvidence, saved.openedRows)).toEqual(
      await loadCards(db, ids),
    );
    const next = run('big-2', '2026-11-06T00:00:00.000Z', 'after');
    next.results.push(result('SKU-LATE', 2, 'after'));
    const second = await save(db, next);
    // every exception continued (read) but one opened (its row): together as read whole
    const late = await idOf('SKU-LATE');
    expect([...saved.openedRows!.keys()]).toEqual([late]);
    const both = [...ids, late];
    expect(await loadCards(db, both, saved.writtenEvidence, saved.openedRows)).toEqual(
      await loadCards(db, both),
    );
    const stored = new Map(
      (
        (await db('exceptions').whereIn('sku', skus).select('sku', 'evidence', 'version')) as {
          sku: string;
          evidence: string;
          version: number;
        }[]
      ).map((r) => [r.sku, r]),
    );
    expect(stored.size).toBe(skus.length);
    // both runs follow runs where these keys matched: the save adds when (lastMatched…)
    const asProduced = (e: unknown) => {
      const { lastMatchedRunId, lastMatchedAt, ...rest } = e as Evidence;
      expect([lastMatchedRunId, lastMatchedAt]).toEqual(['r4', '2026-11-04T00:00:00.000Z']);
      return rest;
    };
    for (const sku of [skus[0]!, skus[249]!, skus[250]!, skus[500]!, skus.at(-1)!]) {
      expect(asProduced(readEvidence(stored.get(sku)!.evidence))).toEqual(second.get(sku));
      const [entry, ...more] = await historyEvidence(sku);
      expect(more).toEqual([]);
      expect(entry!.to).toBe('open');
      expect(asProduced(entry!.evidence)).toEqual(first.get(sku));
    }
    const after = [...stored.values()].filter(
      (r) => readEvidence(r.evidence).facts?.category === 'after',
    );
    expect(after.length).toBe(skus.length);
  });
});
