/**
 * Regexes written in rules run on RE2 (Google's automaton engine, as WebAssembly shipped inside
 * the npm package): matching takes time linear in the input whatever the pattern, so a rule such
 * as `cause=~"([A-Z_]+)+x"` cannot stall `tally serve` on a label read from a data file.
 * RE2 has no backreferences or lookaround; such a pattern is refused when the rules load.
 */
import re2 from '@adguard/re2-wasm';

export type LinearRegex = {
  test(text: string): boolean;
  /** `text` with the match replaced by `to` ($1 … for groups). */
  replace(text: string, to: string): string;
};

/**
 * Compiling a pattern into the WebAssembly engine costs far more than matching with it, and the
 * patterns come from the rules (a bounded set), so each is compiled once per process.
 */
const compiled = new Map<string, LinearRegex>();

/** Throws with RE2's reason when the pattern is not valid RE2 syntax. */
export function linearRegex(source: string): LinearRegex {
  let regex = compiled.get(source);
  if (!regex) {
    regex = new re2.RE2(source, 'u') as LinearRegex;
    compiled.set(source, regex);
  }
  return regex;
}
