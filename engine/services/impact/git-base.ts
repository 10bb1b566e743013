/**
 * The base ruleset of a comparison, written out of git (never checked out over the working
 * tree): every file under the rules folder's path at that commit, into a fresh temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../core/errors.ts';

export type BaseRules = { dir: string; commit: string; cleanup(): void };

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', cwd, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function gitText(cwd: string, args: string[], code: string, message: string): string {
  try {
    return git(cwd, args).toString('utf8').trim();
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new InputError(code, `${message}${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
  }
}

export function materializeBaseRules(ref: string, rulesDir: string): BaseRules {
  const abs = realpathSync(path.resolve(rulesDir));
  const root = gitText(
    abs,
    ['rev-parse', '--show-toplevel'],
    'NOT_A_GIT_REPO',
    `${rulesDir} is not inside a git repository`,
  );
  const prefix = path.relative(realpathSync(root), abs).split(path.sep).join('/');
  const commit = gitText(
    abs,
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    'GIT_REF_UNKNOWN',
    `unknown git ref "${ref}" (fetch it first, e.g. git fetch origin ${ref})`,
  );
  const listing = gitText(
    root,
    ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', prefix || '.'],
    'GIT_REF_UNKNOWN',
    `cannot list ${prefix} at ${ref}`,
  );
  const names = listing.split('\0').filter(Boolean);
  if (names.length === 0) {
    throw new InputError(
      'BASE_RULES_MISSING',
      `${prefix || 'the repository root'} holds no files at ${ref} (${commit.slice(0, 7)})`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-base-rules-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const name of names) {
      const rel = prefix ? name.slice(prefix.length + 1) : name;
      const target = path.join(dir, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, git(root, ['cat-file', 'blob', `${commit}:${name}`]));
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  return { dir, commit, cleanup };
}
