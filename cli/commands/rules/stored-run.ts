/**
 * The latest stored run's inputs: its as-of, and its input files checked against the sha256
 * recorded for each, so a diff "on the latest data" really runs on what that run read.
 * Runs record file paths relative to the data folder, not the folder itself, so the caller
 * says where the files are (--data, default the working directory).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../engine/core/errors.ts';
import { openDb } from '../../../engine/services/store/db.ts';

type StoredInput = { source: string; path: string; sha256: string };

/** Returns the as-of of the latest stored run after checking its inputs under `dataDir`. */
export async function latestRunInputs(dataDir: string): Promise<string> {
  const db = await openDb();
  let row: { id: string; as_of: string; inputs: string } | undefined;
  try {
    row = await db('runs')
      .where({ status: 'completed' })
      .orderBy('started_at', 'desc')
      .first('id', 'as_of', 'inputs');
  } finally {
    await db.destroy();
  }
  if (!row)
    throw new InputError(
      'NO_STORED_RUN',
      'no stored run in the database; run `tally run` first or give --data',
    );
  const inputs = JSON.parse(row.inputs) as StoredInput[];
  const problems: string[] = [];
  for (const i of inputs) {
    const file = join(dataDir, i.path);
    if (!existsSync(file)) {
      problems.push(`${i.path}: missing under ${dataDir}`);
      continue;
    }
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    if (sha !== i.sha256) problems.push(`${i.path}: changed since run ${row.id} (sha256 differs)`);
  }
  if (problems.length > 0) {
    throw new InputError(
      'RUN_INPUTS_CHANGED',
      `the latest stored run's inputs are not in ${dataDir} as they were:\n  ${problems.join('\n  ')}`,
    );
  }
  return new Date(row.as_of).toISOString();
}
