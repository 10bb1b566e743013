/**
 * What a valid ruleset is warned of (the rules load; something goes unchecked or unheard), in
 * file order: routes and roles that disagree (route-fit.ts), a channel whose orders go
 * unchecked (channel-orders.ts). `tally rules validate` and `tally doctor` say the same.
 */
import { ordersWarnings } from './channel-orders.ts';
import { sortProblems, type Problem } from './problems.ts';
import { routeWarnings } from './route-fit.ts';
import type { Ruleset } from './types.ts';

export function rulesWarnings(ruleset: Ruleset): Problem[] {
  return sortProblems([...routeWarnings(ruleset), ...ordersWarnings(ruleset)]);
}
