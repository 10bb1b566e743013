#!/usr/bin/env node
/**
 * The fault suite: `npm run faults` (all groups) or `npm run faults -- --quick` (the CI subset).
 * Each group runs its tests on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, and prints one
 * figure: cases held / cases run. Exit 1 when any case did not hold.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GROUPS = [
  {
    name: 'received events never lost, reused ids refused (409)',
    quick: true,
    files: ['test/realtime/endpoint-faults.test.ts'],
  },
  {
    name: 'approve+apply atomic, left-approved sweep exactly once',
    quick: true,
    files: ['test/storage/corrections-atomic.test.ts'],
  },
  {
    name: 'roles x actions x places: no unexpected allow, a refusal changes nothing',
    quick: true,
    files: ['test/faults/roles-matrix.test.ts', 'test/storage/corrections-locations.test.ts'],
  },
  {
    name: 'concurrent approvals apply once',
    quick: false,
    files: ['test/storage/corrections.test.ts'],
  },
  { name: 'signatures and replays refused', quick: true, files: ['test/bot/signatures.test.ts'] },
  {
    name: 'signed events: forged, stale, future',
    quick: false,
    files: ['test/realtime/endpoint.test.ts'],
  },
  {
    name: 'audit tamper and truncation (keyed chain, anchors)',
    quick: true,
    files: ['test/storage/audit-keyed.test.ts', 'test/storage/audit.test.ts'],
  },
  {
    name: 'hostile rules: linear regexes, located errors',
    quick: true,
    files: ['engine/core/rules/matchers.test.ts', 'engine/core/rules/invalid.test.ts'],
  },
  {
    name: 'database down at start and mid-run (exit 3, before any file is read) and mid-serve (503)',
    quick: true,
    files: [
      'test/storage/db-loss.test.ts',
      'test/storage/run-db-first.test.ts',
      'test/realtime/db-outage.test.ts',
    ],
  },
  {
    name: 'tally run killed at random points x seeds: nothing partial, rerun equal',
    quick: true,
    files: ['test/faults/crash-run.test.ts'],
  },
  {
    name: 'event orders: shuffled exports and live sequences reconcile the same',
    quick: true,
    files: [
      'test/faults/event-orders.test.ts',
      'engine/core/ledger/ledger.test.ts',
      'test/realtime/live-vs-full.test.ts',
    ],
  },
  {
    name: 'outbox keeps a sent message through a database failure',
    quick: true,
    files: ['test/bot/outbox-db-failure.test.ts'],
  },
  {
    name: 'serve start-up failure exits, stop within grace',
    quick: false,
    files: ['test/serve-lifecycle.test.ts', 'test/bot/serve-stop.test.ts'],
  },
  {
    name: 'bad files: located errors, nothing dropped',
    quick: false,
    files: ['test/connectors-files/bad-files.test.ts'],
  },
  {
    name: 'replicas x cron fire times: each job once',
    quick: false,
    files: ['test/bot/scheduler.test.ts'],
  },
];

const quick = process.argv.includes('--quick');
const groups = GROUPS.filter((g) => !quick || g.quick);
const dir = mkdtempSync(join(tmpdir(), 'tally-faults-'));
let failed = 0;
const started = Date.now();
for (const [i, g] of groups.entries()) {
  const out = join(dir, `${i}.json`);
  const t0 = Date.now();
  spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', `--outputFile=${out}`, ...g.files],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        TALLY_FAULT_SEEDS: process.env.TALLY_FAULT_SEEDS ?? (quick ? '2' : '12'),
      },
    },
  );
  let passed = 0;
  let total = 0;
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed = report.numPassedTests;
    total = report.numTotalTests;
  } catch {
    total = Math.max(total, 1);
  }
  if (passed !== total || total === 0) failed += 1;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `${passed === total && total > 0 ? 'held' : 'FAILED'}  ${g.name}: ${passed}/${total} cases held (${secs} s)`,
  );
}
const mins = ((Date.now() - started) / 60000).toFixed(1);
console.log(`${quick ? 'quick' : 'full'} fault suite: ${groups.length} groups in ${mins} min`);
console.log(`faults: ${groups.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
