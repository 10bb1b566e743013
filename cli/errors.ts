import { ExternalError, InputError, TallyError, formatLocation } from '../engine/core/errors.ts';

/** Exit codes: 0 ok, 1 findings (validation problems, exceptions with --fail-on), 2 usage/config. */
export const EXIT = { ok: 0, findings: 1, usage: 2, external: 3, defect: 4 } as const;

/** Reads a whole-number option, refusing anything below `min` with a usage error. */
export function wholeNumberOption(value: unknown, flag: string, min = 0): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  const what = min === 1 ? 'a positive whole number' : 'a whole number';
  throw new InputError('BAD_OPTION', `${flag} must be ${what}, not "${String(value)}"`);
}

/** Prints one clear line for the user; a stack trace only with --debug. Returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof InputError) {
    const where = error.where ? `${formatLocation(error.where)} ` : '';
    process.stderr.write(`tally: ${where}${error.message} [${error.code}]\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return EXIT.usage;
  }
  if (error instanceof ExternalError) {
    process.stderr.write(`tally: ${error.system}: ${error.message} [${error.code}]\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return EXIT.external;
  }
  if (error instanceof TallyError) {
    process.stderr.write(`tally: ${error.message} [${error.code}]\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tally: unexpected error: ${message}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(this is a defect in Tally; run again with --debug for details)\n');
  return EXIT.defect;
}
