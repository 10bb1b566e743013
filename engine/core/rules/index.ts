/** The rules package: load and validate a ruleset, and the runtime helpers over it. */
export { loadRuleset, loadRulesetOrThrow } from './load.ts';
export type { LoadOptions, LoadResult } from './load.ts';
export { formatProblem } from './problems.ts';
export type { Problem, ProblemCode } from './problems.ts';
export { routeFor } from './routing.ts';
export type { RouteResult } from './routing.ts';
export { parseMatcher, ROUTE_LABELS } from './matchers.ts';
export { resolveTolerance, isWithinTolerance } from './tolerance.ts';
export type { ToleranceContext, VarianceMeasures } from './tolerance.ts';
export {
  grantsFor,
  hasRole,
  approvalLimit,
  approvalLimitMinor,
  approversNeeded,
  currencyOfRoles,
} from './roles.ts';
