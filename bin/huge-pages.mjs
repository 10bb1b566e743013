// Transparent huge pages for the commands that read whole data folders.
//
// A 1M-key run touches ~800 MiB for the first time: its columns alone are ~340 MiB of typed
// arrays. Each 4 KiB page costs a fault the first time it is written, and on a virtual machine a
// fault can cost 10 µs or more (measured on the benchmark machine: 200 MiB written the first time
// in 520–750 ms, the second time in 35–80 ms). With transparent huge pages a fault maps 2 MiB.
// In Linux's `madvise` mode (Debian's and Ubuntu's default) they go only to memory a program
// asks them for; glibc asks for the memory it maps (Node's typed arrays and buffers) when
// GLIBC_TUNABLES says `glibc.malloc.hugetlb=1`, a variable read once, as the process starts. So
// `tally run` does its work in a child process started with it (1M keys: ~40 % fewer page
// faults, ~1 s less end to end). TALLY_HUGE_PAGES=0 turns this off; the child has it `asked`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/** Commands (their first words) that read a whole data folder into memory. */
const LARGE = [['run'], ['close'], ['rules', 'diff']];

/** The first words of a command line: what comes before its first option. */
function commandWords(args) {
  const words = [];
  for (const a of args) {
    if (a === '--debug') continue;
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words;
}

/** Whether the command line reads a whole data folder (help and version never do). */
export function readsWholeFolder(args) {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V'))
    return false;
  const words = commandWords(args);
  return LARGE.some((command) => command.every((w, i) => words[i] === w));
}

/** The system's transparent huge page mode: always, madvise, never, or undefined (none). */
export function hugePageMode(
  read = () => readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'),
) {
  try {
    return /\[(\w+)\]/.exec(read())?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The environment to run a large command with, or undefined when it needs none: not on Linux
 * (the tunable is glibc's), huge pages off or given to everything already, the tunable already
 * set (by the user, or by this very step in the parent), TALLY_HUGE_PAGES=0, or a debugger
 * attached to this process (`--inspect`: the work must run where the debugger is).
 */
export function hugePageEnv(
  env,
  platform = process.platform,
  mode = hugePageMode,
  execArgv = process.execArgv,
) {
  if (platform !== 'linux' || env.TALLY_HUGE_PAGES === '0') return undefined;
  const inspecting = (a) => /^--inspect(-brk|-wait)?(=|$)/.test(a);
  if (execArgv.some(inspecting) || (env.NODE_OPTIONS ?? '').split(/\s+/).some(inspecting))
    return undefined;
  // the child this step started: never started again, whatever glibc made of the variable
  if (env.TALLY_HUGE_PAGES === 'asked') return undefined;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return undefined;
  if (mode() !== 'madvise') return undefined;
  return {
    ...env,
    TALLY_HUGE_PAGES: 'asked',
    GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE,
  };
}

/**
 * Runs this same command line again in a child process with `env`, its terminal and streams
 * shared, and ends this process as the child ends: with its exit code, or by the same signal.
 * A stop signal sent to this process is passed on (a terminal's Ctrl-C reaches both: the
 * child's default is to stop, so a second one changes nothing).
 */
export function runAgainWith(env) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env,
    stdio: 'inherit',
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const pass = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, pass);
  child.on('error', (error) => {
    process.stderr.write(`tally: could not start: ${error.message}\n`);
    process.exit(4);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, pass);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 4);
  });
}
