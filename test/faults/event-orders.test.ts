/**
 * The order in which a system exports its rows carries no meaning: the demo's data files with
 * their rows shuffled (seeded; headers kept) reconcile to the same result as the files as
 * written: the same keys, outcomes, ranked causes, variances, values, facts, matched and unmatched
 * movements. TALLY_FAULT_SEEDS sets how many orders (default 2; the full fault suite 12).
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { createRng } from '../../demo/prng.ts';
import { generateDemo, type DemoResult } from '../../demo/index.ts';
import { reconcileFolder } from '../../server/pipeline.ts';

const SEEDS = Number(process.env.TALLY_FAULT_SEEDS ?? 2);

/** Seeded, so a failing case can be replayed from its seed. */
const rng = (seed: number) => createRng(seed).next;

function dataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'rules' ? [] : dataFiles(path);
    return /\.(csv|tsv|jsonl)$/.test(name) ? [path] : [];
  });
}

/** Shuffles every data file's rows in place (Fisher–Yates), keeping a CSV/TSV header first. */
function shuffleRows(dir: string, seed: number): number {
  const random = rng(seed);
  let files = 0;
  for (const file of dataFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    const head = file.endsWith('.jsonl') ? [] : lines.splice(0, 1);
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    writeFileSync(file, `${[...head, ...lines].join('\n')}\n`);
    files += 1;
  }
  return files;
}

/** A result as it means something to a user; file lines move with the rows, so they are left out. */
function meaning(r: KeyResult) {
  const e = r.evidence;
  const movement = (m: object) =>
    JSON.stringify(m, (k, v: unknown) => (k === 'line' || k === 'file' ? undefined : v));
  return {
    key: `${r.sku}|${r.location}|${r.bucket}|${r.source}`,
    outcome: r.outcome,
    causes: r.causes,
    severity: r.severity,
    variance: r.variance,
    valueAtRiskMinor: r.valueAtRiskMinor,
    quantities: e?.quantities,
    expected: e?.expected,
    facts: e?.facts,
    history: e?.history.map(movement).sort(),
    unmatched: e?.unmatched.map(movement).sort(),
  };
}

const canonical = (results: KeyResult[]) =>
  results.map(meaning).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('reconciliation does not depend on the order of exported rows', () => {
  let demo: DemoResult;
  let reference: ReturnType<typeof canonical>;

  beforeAll(async () => {
    demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-orders-')) });
    const { run } = await reconcileFolder({
      rulesDir: demo.rulesDir,
      dataDir: demo.dataDir,
      asOf: demo.truth.asOf,
    });
    reference = canonical(run.results);
    expect(reference.filter((r) => r.outcome.type === 'exception').length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(() => rmSync(demo.dir, { recursive: true, force: true }));

  it.each(Array.from({ length: SEEDS }, (_, i) => i + 1))(
    'order %i gives the same result',
    async (seed) => {
      const copy = mkdtempSync(join(tmpdir(), 'tally-orders-'));
      try {
        cpSync(demo.dataDir, copy, { recursive: true });
        expect(shuffleRows(copy, seed)).toBeGreaterThan(5);
        const { run } = await reconcileFolder({
          rulesDir: demo.rulesDir,
          dataDir: copy,
          asOf: demo.truth.asOf,
        });
        expect(canonical(run.results)).toEqual(reference);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
