import { CommanderError } from 'commander';
import { ExternalError, InputError, TallyError, formatLocation } from '../engine/core/errors.ts';
import { databaseFailure } from '../engine/services/store/failure.ts';

/**
 * Exit codes: 0 ok, 1 findings (validation problems, exceptions with --fail-on), 2 usage/config,
 * 3 an outside system failed, 4 a defect, 5 a partial run (run findings: a source failed or
 * contributed nothing, a file's rows all stayed out; `tally run --allow-partial` accepts it).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, external: 3, defect: 4, partial: 5 } as const;

/** Reads a whole-number option, refusing anything below `min` with a usage error. */
export function wholeNumberOption(value: unknown, flag: string, min = 0): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  const what = min === 1 ? 'a positive whole number' : 'a whole number';
  throw new InputError('BAD_OPTION', `${flag} must be ${what}, not "${String(value)}"`);
}

/**
 * The exit code of a command line that threw: commander's own (help and version exit 0, a
 * usage error already printed its message) or the error told as reportError tells it.
 */
export function commandExitCode(error: unknown, how: ErrorReport | boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return reportError(error, how);
}

/** How an error is told: one line on stderr, or with `--format json` a JSON object on stdout. */
export type ErrorReport = { debug: boolean; json?: boolean };

/** Prints one clear line for the user; a stack trace only with --debug. Returns the exit code. */
export function reportError(error: unknown, how: ErrorReport | boolean): number {
  const { debug, json } = typeof how === 'boolean' ? { debug: how, json: false } : how;
  const told = describeError(error);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: told.json, exitCode: told.exitCode })}\n`);
  }
  process.stderr.write(`tally: ${told.line}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else if (told.exitCode === EXIT.defect) {
    process.stderr.write('(this is a defect in Tally; run again with --debug for details)\n');
  }
  return told.exitCode;
}

type Told = {
  line: string;
  exitCode: number;
  json: { code: string; message: string; system?: string; where?: string };
};

function describeError(error: unknown): Told {
  if (error instanceof InputError) {
    const where = error.where ? formatLocation(error.where) : undefined;
    return {
      line: `${where ? `${where} ` : ''}${error.message} [${error.code}]`,
      exitCode: EXIT.usage,
      json: { code: error.code, message: error.message, ...(where ? { where } : {}) },
    };
  }
  if (error instanceof ExternalError) {
    return {
      line: `${error.system}: ${error.message} [${error.code}]`,
      exitCode: EXIT.external,
      json: { code: error.code, message: error.message, system: error.system },
    };
  }
  if (error instanceof TallyError) {
    return {
      line: `${error.message} [${error.code}]`,
      exitCode: EXIT.usage,
      json: { code: error.code, message: error.message },
    };
  }
  const lost = databaseFailure(error);
  if (lost) return describeError(lost);
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `unexpected error: ${message}`,
    exitCode: EXIT.defect,
    json: { code: 'DEFECT', message },
  };
}

/** True when the arguments ask for JSON output (`--format json`, `--format=json`, `--json`). */
export function wantsJson(args: string[]): boolean {
  return args.some(
    (a, i) =>
      a === '--json' || a === '--format=json' || (a === '--format' && args[i + 1] === 'json'),
  );
}
