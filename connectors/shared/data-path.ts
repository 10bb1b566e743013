/** A file named in the rules must stay inside the data folder (no `..`, no absolute path elsewhere). */
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';

export function insideData(dataDir: string, path: string): string {
  const abs = resolve(dataDir, path);
  const rel = relative(resolve(dataDir), abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError('PATH_OUTSIDE_DATA', `${path}: the path leaves the data folder`, {
      file: path,
    });
  }
  return abs;
}
