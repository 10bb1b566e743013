/**
 * Classification rules written for the engine tests, one per cause of the demo deployment,
 * in the YAML rules' shape (json-rules-engine conditions).
 */
import type { RuleSpec } from './ruleset.ts';
import type { Outcome } from '../../../engine/core/rules/types.ts';

const ex = (rootCause: string, severity: 'low' | 'medium' | 'high' = 'high'): Outcome => ({
  type: 'exception',
  severity,
  rootCause,
});
const explained = (code: string): Outcome => ({ type: 'explained', code });
const f = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const differs = f('absVariance', 'greaterThan', 0);

export const DEMO_RULES: RuleSpec[] = [
  {
    name: 'duplicate',
    priority: 90,
    conditions: { all: [differs, f('duplicateEvents', 'greaterThan', 0)] },
    outcome: ex('DUPLICATE_EVENT'),
  },
  {
    name: 'manual-adjustment',
    priority: 85,
    conditions: { all: [differs, f('adjustmentsOutsideSystemOfRecord', 'greaterThan', 0)] },
    outcome: ex('MANUAL_ADJUSTMENT_WRONG_SYSTEM'),
  },
  {
    name: 'uom-mismatch',
    priority: 80,
    conditions: { all: [f('varianceIsUnitMultiple', 'equal', true)] },
    outcome: ex('UOM_MISMATCH'),
  },
  {
    name: 'missing-posting',
    priority: 75,
    conditions: { all: [f('unmatchedOutsideWindow', 'greaterThan', 0)] },
    outcome: ex('MISSING_POSTING'),
  },
  {
    name: 'within-tolerance',
    priority: 70,
    conditions: { all: [f('withinTolerance', 'equal', true)] },
    outcome: { type: 'match' },
  },
  {
    name: 'uom-rounding',
    priority: 65,
    conditions: { all: [f('uomRounding', 'equal', true)] },
    outcome: explained('UOM_ROUNDING'),
  },
  {
    name: 'in-transit',
    priority: 62,
    conditions: {
      all: [
        f('pendingInTransit', 'greaterThan', 0),
        f('absVariance', 'lessThanInclusive', { fact: 'pendingInTransit' }),
      ],
    },
    outcome: explained('IN_TRANSIT_WINDOW'),
  },
  {
    name: 'pending-posting',
    priority: 60,
    conditions: {
      all: [
        f('unmatchedInWindow', 'greaterThan', 0),
        f('variance', 'equal', { fact: 'unmatchedInWindowQuantity' }),
      ],
    },
    outcome: explained('PENDING_POSTING'),
  },
  {
    name: 'late-event',
    priority: 50,
    conditions: { all: [f('lateEvents', 'greaterThan', 0)] },
    outcome: explained('LATE_EVENT'),
  },
  {
    name: 'oversell',
    priority: 45,
    conditions: {
      all: [
        f('sourceRole', 'in', ['ecommerce', 'marketplace']),
        f('bucket', 'equal', 'sellable'),
        f('variance', 'greaterThan', 0),
      ],
    },
    outcome: ex('OVERSELL_RISK', 'high'),
  },
  {
    name: 'status-mismapped',
    priority: 40,
    conditions: { all: [differs, f('netVarianceAcrossBuckets', 'equal', 0)] },
    outcome: ex('STATUS_MISMAPPED', 'medium'),
  },
  {
    name: 'phantom',
    priority: 35,
    conditions: { all: [f('expectedQuantity', 'equal', 0), f('sourceQuantity', 'greaterThan', 0)] },
    outcome: ex('PHANTOM_STOCK'),
  },
  {
    name: 'shrinkage',
    priority: 30,
    conditions: { all: [f('isSystemOfRecord', 'equal', true), f('variance', 'lessThan', 0)] },
    outcome: ex('UNRECORDED_SHRINKAGE', 'medium'),
  },
];
