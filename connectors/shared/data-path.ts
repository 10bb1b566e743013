/**
 * Where a declared file is on disk, refusing anything outside the --data folder. The rules
 * validator already refuses `..` and absolute paths; this is the runtime half: a path built to
 * escape, or a symbolic link in the folder that points outside it, is refused before a byte is
 * read (a data folder is the customer's drop zone, and a link there must not read /etc/passwd).
 * Links that stay inside the folder are followed.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../../engine/core/errors.ts';
import { fileSystemError } from './byte-stream.ts';

/** The lexical check only (no `..`, no absolute path elsewhere); see resolveDataPath for links. */
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

/** The real path of a declared file, which must be inside the data folder after links. */
export async function resolveDataPath(dataDir: string, path: string): Promise<string> {
  const outside = (why: string) =>
    new InputError('PATH_OUTSIDE_DATA', `${why}; only files inside the data folder are read`, {
      file: path,
    });
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) throw outside('the path is absolute');
  const root = resolve(dataDir);
  const declared = resolve(root, path);
  if (!inside(root, declared)) throw outside('the path leads out of the data folder');
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(declared);
  } catch (error) {
    throw fileSystemError(error, path);
  }
  if (!inside(realRoot, real)) {
    throw outside(`the path is a link to ${real}, outside the data folder`);
  }
  return real;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
