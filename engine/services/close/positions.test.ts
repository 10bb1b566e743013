import { describe, expect, it } from 'vitest';
import { createIntake } from '../../core/normalize/intake.ts';
import { currencyOf } from '../../core/model/money.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { AS_OF, ITEMS, event, hoursBefore } from '../../../test/support/engine/scenario.ts';
import { periodPositions } from './positions.ts';

describe('periodPositions', () => {
  it("projects the run's ledger: a receipt at a transfer's destination closes its in_transit", () => {
    const intake = createIntake(buildRuleset({ items: ITEMS }));
    const at = { quantity: 6, reference: 'STE-11' };
    intake.event(
      event({
        source: 'wms-east',
        type: 'transfer_out',
        ...at,
        counterpartLocation: 'WH-WEST',
        occurredAt: hoursBefore(40),
      }),
    );
    intake.event(
      event({
        source: '3pl-west',
        type: 'receipt',
        location: 'LAX1',
        ...at,
        occurredAt: hoursBefore(10),
      }),
    );
    const rows = periodPositions(intake, Date.parse(AS_OF), currencyOf('USD')!);
    const west = rows.filter((r) => r.location === 'WH-WEST');
    expect(west.map((r) => [r.bucket, r.quantity])).toEqual([['sellable', 6]]);
  });
});
