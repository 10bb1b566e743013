/** The rules package: load and validate a ruleset, and the runtime lookups over it. */
export { loadRuleset, loadRulesetOrThrow } from './load.ts';
export type { LoadOptions, LoadResult } from './load.ts';
export { formatProblem } from './problems.ts';
export type { Problem, ProblemCode } from './problems.ts';
