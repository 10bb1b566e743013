/**
 * Correction files for systems Tally cannot write to. One file per idempotency key, created
 * once: written aside and linked into place, so it appears whole, and a retry (or a second
 * worker) finds the same file instead of writing another.
 */
import { existsSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { csvCell } from '../../engine/core/model/csv.ts';

/** A file-name-safe form of an idempotency key. */
export function keyFileName(prefix: string, idempotencyKey: string, extension: string): string {
  return `${prefix}-${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
}

/** Creates `dir/name` with `body` unless it exists; returns its absolute path either way. */
export function writeOnce(dir: string, name: string, body: () => string): string {
  const path = join(resolve(dir), name);
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, body());
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return path;
}

/** One CSV cell, quoted when it holds a comma, a quote or a line break (read by a machine). */
export function csvField(value: string | number): string {
  return csvCell(value);
}
