/**
 * The folder Tally is installed in (where its package.json, rules/ and rules/schema/ are), found
 * the same way from the TypeScript sources and from the compiled dist/ tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isTally(manifest)) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Tally package.json not found above ' + import.meta.url);
    dir = parent;
  }
}

function isTally(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tally';
  } catch {
    return false;
  }
}

/** A path inside the installed package, e.g. `fromPackageRoot('rules', 'schema')`. */
export const fromPackageRoot = (...parts: string[]): string => join(packageRoot(), ...parts);
