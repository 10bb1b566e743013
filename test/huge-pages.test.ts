/**
 * `tally run` asks for transparent huge pages (bin/huge-pages.mjs): on Linux with huge pages in
 * `madvise` mode it runs its work in a child started with GLIBC_TUNABLES set, passes stop
 * signals on and ends as the child ends. The decision is tested on its own; the running
 * command is tested against a data folder holding a FIFO nobody writes to, so the run is
 * caught while it reads and its processes can be looked at.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../demo/index.ts';
import {
  HUGE_PAGES_TUNABLE,
  hugePageEnv,
  hugePageMode,
  readsWholeFolder,
} from '../bin/huge-pages.mjs';

const bin = new URL('../bin/tally.mjs', import.meta.url).pathname;
const madvise = () => 'madvise';

describe('which commands ask for huge pages', () => {
  it('asks for the commands that read a whole data folder', () => {
    expect(readsWholeFolder(['run', '--data', 'x'])).toBe(true);
    expect(readsWholeFolder(['--debug', 'run'])).toBe(true);
    expect(readsWholeFolder(['close', '--period', '2026-11'])).toBe(true);
    expect(readsWholeFolder(['rules', 'diff', '--base', 'main'])).toBe(true);
  });

  it('does not for the others, nor for help', () => {
    expect(readsWholeFolder(['demo'])).toBe(false);
    expect(readsWholeFolder(['serve', '--rules', 'rules'])).toBe(false);
    expect(readsWholeFolder(['rules', 'validate', 'rules'])).toBe(false);
    expect(readsWholeFolder(['exceptions', 'list'])).toBe(false);
    expect(readsWholeFolder(['run', '--help'])).toBe(false);
    expect(readsWholeFolder(['--data', 'x', 'run'])).toBe(false);
    expect(readsWholeFolder([])).toBe(false);
  });
});

describe('the environment a large command runs with', () => {
  it('adds the tunable on Linux with huge pages in madvise mode, after any already set', () => {
    expect(hugePageEnv({ PATH: '/bin' }, 'linux', madvise)).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: HUGE_PAGES_TUNABLE,
      TALLY_HUGE_PAGES: 'asked',
    });
    const env = hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux', madvise);
    expect(env?.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
  });

  it('needs nothing where the tunable cannot help or is set already', () => {
    expect(hugePageEnv({}, 'darwin', madvise)).toBeUndefined();
    expect(hugePageEnv({}, 'linux', () => 'always')).toBeUndefined();
    expect(hugePageEnv({}, 'linux', () => 'never')).toBeUndefined();
    expect(hugePageEnv({}, 'linux', () => undefined)).toBeUndefined();
    expect(hugePageEnv({ TALLY_HUGE_PAGES: '0' }, 'linux', madvise)).toBeUndefined();
    expect(hugePageEnv({ TALLY_HUGE_PAGES: 'asked' }, 'linux', madvise)).toBeUndefined();
    // set by the user, or by the parent that started this child: never started twice
    expect(hugePageEnv({ GLIBC_TUNABLES: HUGE_PAGES_TUNABLE }, 'linux', madvise)).toBeUndefined();
    expect(
      hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux', madvise),
    ).toBeUndefined();
  });

  it('keeps the work in the process a debugger is attached to', () => {
    const env = (execArgv: string[], NODE_OPTIONS?: string) =>
      hugePageEnv(NODE_OPTIONS ? { NODE_OPTIONS } : {}, 'linux', madvise, execArgv);
    expect(env(['--inspect'])).toBeUndefined();
    expect(env(['--inspect-brk=9230'])).toBeUndefined();
    expect(env([], '--max-old-space-size=4096 --inspect')).toBeUndefined();
    expect(env(['--max-old-space-size=4096'])?.GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
    expect(env([], '--inspect-port=9230')?.GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
  });

  it('reads the mode Linux marks in brackets', () => {
    expect(hugePageMode(() => 'always [madvise] never\n')).toBe('madvise');
    expect(hugePageMode(() => '[always] madvise never\n')).toBe('always');
    expect(
      hugePageMode(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });
});

/** The processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe.runIf(process.platform === 'linux')('tally run on Linux', () => {
  let demo: DemoResult;
  let cwd: string;
  beforeAll(async () => {
    demo = await generateDemo({ dir: mkdtempSync(join(tmpdir(), 'tally-hugepages-')) });
    const file = join(demo.dataDir, 'erp', 'stock.csv');
    rmSync(file);
    execFileSync('mkfifo', [file]);
    cwd = mkdtempSync(join(tmpdir(), 'tally-hugepages-cwd-'));
  });
  afterAll(() => {
    rmSync(demo.dir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('works in a child with huge pages asked for, and stops it when told to stop', async () => {
    const env = { ...process.env };
    delete env.GLIBC_TUNABLES;
    delete env.TALLY_HUGE_PAGES;
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [bin, 'run', '--data', demo.dataDir, '--no-persist'], {
      cwd,
      env,
      stdio: 'ignore',
    });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.once('exit', (code, signal) => r([code, signal])),
    );
    // the run blocks on the FIFO, so it is still there to be looked at
    const expected = hugePageEnv(env, process.platform, hugePageMode, []);
    let worker: number | undefined;
    for (let waited = 0; waited < 30_000 && worker === undefined; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      const [kid] = childrenOf(child.pid!);
      if (expected && kid !== undefined) worker = kid;
      if (!expected && waited >= 2_000) worker = child.pid!;
    }
    expect(worker, 'the process doing the work').toBeDefined();
    const environ = readFileSync(`/proc/${worker}/environ`, 'utf8').split('\0');
    if (expected) {
      // this machine's kernel gives huge pages on request: the work runs in a child that asks
      expect(environ).toContain(`GLIBC_TUNABLES=${HUGE_PAGES_TUNABLE}`);
    } else {
      expect(childrenOf(child.pid!)).toEqual([]);
      expect(environ.some((v) => v.startsWith('GLIBC_TUNABLES='))).toBe(false);
    }
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(worker!), 'no process left reading').toBe(false);
  }, 60_000);

  it('ends with the exit code of the work', () => {
    const r = spawn(process.execPath, [bin, 'run', '--data', '/no/such/folder'], { cwd });
    return new Promise<void>((done) =>
      r.once('exit', (code) => {
        expect(code).toBe(2);
        done();
      }),
    );
  });
});
