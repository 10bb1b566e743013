/**
 * `node bench/instructions.mjs [options]`: the instructions each thread executes in the parse
 * phase (or a whole run), counted by valgrind's callgrind under `node --predictable`. The count
 * repeats to about 1 % where this kind of machine's wall clock varies by ±15 %, so it tells
 * apart changes of a few percent that `npm run bench` cannot; it says nothing of memory stalls,
 * page faults or the disk, which only the benchmark's times show.
 *
 * Compare two versions of the code in the same checkout: another path (a second worktree) loads
 * and compiles differently and counted ~2.5 G more at 100k keys for the same code. valgrind's
 * CPU has no SHA extensions, so the prescan's sha256 counts several times what it costs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { commandExitCode, wholeNumberOption } from '../cli/errors.ts';
import { generateScale } from './scale.ts';

const RUN = fileURLToPath(new URL('./instructions-run.mjs', import.meta.url));

type Options = { keys: number; full: boolean; names: number; dir?: string };

/** Instructions per thread, from callgrind's per-thread files (`<out>-01` is the main thread). */
function threadTotals(out: string): { thread: number; instructions: number }[] {
  const dir = join(out, '..');
  const base = out.split('/').at(-1)!;
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`))
    .map((f) => {
      const total = /^totals: (\d+)/m.exec(readFileSync(join(dir, f), 'utf8'));
      return { thread: Number(f.slice(base.length + 1)), instructions: Number(total?.[1] ?? 0) };
    })
    .sort((a, b) => a.thread - b.thread);
}

/**
 * The main thread's costliest functions (self), JIT-compiled ones named through the perf map
 * node writes with --perf-basic-prof (callgrind names them only by address).
 */
function costliest(file: string, perfMap: string | undefined, count: number): string[] {
  const annotated = spawnSync('callgrind_annotate', ['--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  }).stdout;
  const jit: [number, number, string][] = [];
  if (perfMap)
    for (const line of readFileSync(perfMap, 'utf8').split('\n')) {
      const [start, size, ...name] = line.split(' ');
      if (start && size) jit.push([parseInt(start, 16), parseInt(size, 16), name.join(' ')]);
    }
  jit.sort((a, b) => a[0] - b[0]);
  const nameOf = (address: number): string => {
    let lo = 0;
    let hi = jit.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [start, size, name] = jit[mid]!;
      if (address < start) hi = mid - 1;
      else if (address >= start + size) lo = mid + 1;
      else return name;
    }
    return `0x${address.toString(16)}`;
  };
  const cost = new Map<string, number>();
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!m || m[2]!.includes('PROGRAM TOTALS')) continue;
    const address = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]/.exec(m[2]!);
    const name = address
      ? nameOf(parseInt(address[1]!, 16))
      : m[2]!.replace(/^\?\?\?:/, '').replace(/ \[.*\]$/, '');
    cost.set(name, (cost.get(name) ?? 0) + Number(m[1]!.replaceAll(',', '')));
  }
  return [...cost]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `${(n / 1e6).toFixed(1).padStart(9)} M  ${name.slice(0, 110)}`);
}

async function measure(o: Options, log: (line: string) => void): Promise<void> {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error('valgrind is not installed here (Debian: apt-get install valgrind)');
  const dir = o.dir ?? join(tmpdir(), `tally-bench-1-${o.keys}`);
  log(`${o.keys.toLocaleString('en-US')} keys: preparing data in ${dir} …`);
  const data = await generateScale({ dir, seed: 1, keys: o.keys });
  const work = mkdtempSync(join(tmpdir(), 'tally-instructions-'));
  try {
    const out = join(work, 'callgrind');
    const mode = o.full ? 'full' : 'ingest';
    log(`Counting ${o.full ? 'a whole run, saved' : 'the ingest'} under callgrind (minutes) …`);
    const node = ['--predictable', ...(o.names ? ['--perf-basic-prof'] : [])];
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--separate-threads=yes',
        `--callgrind-out-file=${out}`,
        process.execPath,
        ...node,
        RUN,
        mode,
        dir,
        join(work, 'run.db'),
        data.asOf,
        join(work, 'rejects'),
      ],
      // every file on the reading thread, as a large run reads its large files
      { encoding: 'utf8', env: { ...process.env, TALLY_READ_THREADS: 'all' }, cwd: work },
    );
    if (run.status !== 0) throw new Error(`the counted run failed:\n${run.stderr.slice(-2000)}`);
    const totals = threadTotals(out);
    const all = totals.reduce((sum, t) => sum + t.instructions, 0);
    const lines = [`Instructions per thread (${mode}, ${o.keys.toLocaleString('en-US')} keys):`];
    for (const t of totals) {
      if (t.instructions < all / 100) continue;
      const label = t.thread === 1 ? 'main thread' : `thread ${t.thread}`;
      lines.push(`  ${label.padEnd(12)} ${(t.instructions / 1e9).toFixed(2).padStart(7)} G`);
    }
    if (o.names) {
      // node writes it where perf looks, under the process id (valgrind runs node in its own)
      const map = join('/tmp', `perf-${run.pid}.map`);
      const found = existsSync(map);
      lines.push('', 'Main thread, costliest functions (self):');
      lines.push(...costliest(`${out}-01`, found ? map : undefined, o.names));
      // the reading thread: the busiest of the others
      const reader = totals
        .filter((t) => t.thread !== 1)
        .sort((a, b) => b.instructions - a.instructions)[0];
      if (reader) {
        const file = `${out}-${String(reader.thread).padStart(2, '0')}`;
        lines.push('', `Thread ${reader.thread} (reading), costliest functions (self):`);
        lines.push(...costliest(file, found ? map : undefined, o.names));
      }
      if (found) rmSync(map);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const program = new Command()
  .name('node bench/instructions.mjs')
  .description(
    'Instructions each thread executes reading the benchmark data (or in a whole run saved on ' +
      'SQLite), counted by valgrind: repeatable to ~1 %, to tell small CPU changes apart.',
  )
  .option('--keys <n>', 'SKU × location × bucket keys of the generated data', '100000')
  .option('--full', 'a whole run: reconciled, saved on a fresh SQLite file, messages queued')
  .option(
    '--names <n>',
    "also the main and the reading thread's n costliest functions, JIT frames named",
  )
  .option('--dir <folder>', 'where the data is generated (default: the benchmark’s cache)')
  .option('--debug', 'show stack traces for unexpected errors')
  .exitOverride()
  .action(async (raw: Record<string, string | boolean | undefined>) => {
    await measure(
      {
        keys: wholeNumberOption(raw.keys, '--keys', 1),
        full: raw.full === true,
        names: raw.names === undefined ? 0 : wholeNumberOption(raw.names, '--names', 1),
        dir: typeof raw.dir === 'string' ? raw.dir : undefined,
      },
      (line) => process.stderr.write(`${line}\n`),
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = commandExitCode(error, Boolean(program.opts().debug));
}
