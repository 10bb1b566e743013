/** Shared set-up of the rules tooling tests: a temp folder, demo data, the CLI as a process. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AS_OF, generateDemo } from '../../demo/index.ts';

export const BIN = fileURLToPath(new URL('../../bin/tally.mjs', import.meta.url));
export const BUNDLED_RULES = fileURLToPath(new URL('../../rules', import.meta.url));
export const AS_OF = new Date(DEFAULT_AS_OF).toISOString();

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tally-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function demoData(dir: string): Promise<string> {
  const data = join(dir, 'demo');
  await generateDemo({ dir: data });
  return data;
}

export function copyRules(to: string): string {
  cpSync(BUNDLED_RULES, to, { recursive: true });
  return to;
}

/** A Sources text without its channel's `orderReferences` line (there must be one). */
export function withoutOrderReferences(sources: string): string {
  const line = /^ *orderReferences: .*\n/m;
  if (!line.test(sources)) throw new Error('the bundled Sources no longer name the shop orders');
  return sources.replace(line, '');
}

/** The bundled rules copied to `to`, the shop's orders unnamed (ORDERS_UNNAMED). */
export function rulesWithoutOrders(to: string): string {
  copyRules(to);
  const file = join(to, 'sources.yaml');
  writeFileSync(file, withoutOrderReferences(readFileSync(file, 'utf8')));
  return to;
}

export function tally(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TALLY_DATABASE_URL: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
