/**
 * What bench/instructions.ts counts, in the process valgrind runs:
 *   ingest <data>        every file of the folder read into the intake (the parse phase)
 *   full <data> <db>     a whole run as `tally run` makes it: reconciled, saved on a fresh SQLite
 *                        file, its Slack messages queued
 */
import { join } from 'node:path';

// each mode loads only what it runs: loading and compiling a module is counted too
const [mode, dataDir, dbFile, asOf, rejectsDir] = process.argv.slice(2) as string[];
const rulesDir = join(dataDir!, 'rules');

if (mode === 'ingest') {
  const { ingest } = await import('../connectors/ingest.ts');
  const { CONNECTORS } = await import('../connectors/registry.ts');
  const { createIntake } = await import('../engine/core/normalize/intake.ts');
  const { loadRulesetOrThrow } = await import('../engine/core/rules/load.ts');
  const ruleset = await loadRulesetOrThrow(rulesDir, {
    knownConnectors: CONNECTORS.map((c) => c.id),
  });
  const intake = createIntake(ruleset);
  await ingest(ruleset, dataDir!, intake, { asOf, rejectsDir });
  intake.flush();
} else {
  const { rmSync } = await import('node:fs');
  const { collectGarbage } = await import('../engine/core/collect.ts');
  const { openDb } = await import('../engine/services/store/db.ts');
  const { reconcileFolder } = await import('../server/pipeline.ts');
  const { saveRunWithMessages } = await import('../server/save-run.ts');
  for (const f of [dbFile!, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  const db = await openDb({ url: dbFile });
  try {
    const { run, ruleset } = await reconcileFolder({ rulesDir, dataDir: dataDir!, asOf });
    await collectGarbage();
    await saveRunWithMessages(db, run, ruleset);
  } finally {
    await db.destroy();
  }
}
