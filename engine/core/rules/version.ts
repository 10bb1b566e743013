/** Ruleset version: a hash of the parsed content (not bytes or comments) plus the git commit. */
import { execFileSync } from 'node:child_process';
import { canonicalJson, sha256Hex } from '../model/canonical.ts';
import type { RulesetVersion } from './types.ts';

/** `docs` are the parsed documents keyed by file name relative to the rules folder. */
export function contentHash(docs: { name: string; value: unknown }[]): string {
  const sorted = [...docs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // key order and formatting must not change the hash
  return sha256Hex(canonicalJson(sorted.map((d) => [d.name, d.value]))).slice(0, 12);
}

/** Last commit touching the folder; undefined outside a git checkout or without git. */
export function gitCommit(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['-C', dir, 'log', '-1', '--format=%H', '--', '.'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

export function rulesetVersion(hash: string, commit: string | undefined): RulesetVersion {
  return commit ? { hash, commit, label: `${hash}@${commit.slice(0, 7)}` } : { hash, label: hash };
}
