/**
 * The Tally home: `.tally/` under the working directory. It holds the embedded database, the
 * demo worlds and the rejects of each run, so nothing Tally writes lands in a customer's data
 * folder.
 */
import { resolve } from 'node:path';

export const TALLY_HOME = '.tally';

/** Where the rejects files of one run go: `.tally/rejects/<run>/<source>/<file>.rejects.jsonl`. */
export function rejectsFolder(run: string, cwd = process.cwd()): string {
  return resolve(cwd, TALLY_HOME, 'rejects', run);
}
