/** What a rule test got for one key: outcome, cause, rule and route, from a classifier decision. */
import { routeFor } from '../../core/rules/routing.ts';
import type { Outcome, Ruleset } from '../../core/rules/types.ts';
import { routeLabels } from '../impact/labels.ts';
import type { Got } from './types.ts';

export function gotFrom(
  ruleset: Ruleset,
  outcome: Outcome,
  causes: string[],
  rule: string,
  facts: {
    sku: string;
    location: string;
    bucket: string;
    source: string;
    skuClass?: string;
    category?: string;
  },
): Got {
  const got: Got = { outcome: outcome.type, rule, route: [], routeNodes: [] };
  if (outcome.type === 'explained') got.code = outcome.code;
  if (outcome.type !== 'exception') return got;
  got.severity = outcome.severity;
  got.cause = causes[0] ?? outcome.rootCause;
  const r = routeFor(ruleset, routeLabels({ ...facts, outcome, causes, facts }));
  got.route = r.receivers.map((x) => x.name);
  got.routeNodes = r.leaves.map((n) => n.id);
  return got;
}
