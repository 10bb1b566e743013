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

/** Throws with RE2's reason when the pattern is not valid RE2 syntax. */
export function linearRegex(source: string): LinearRegex {
  return new re2.RE2(source, 'u');
}
