import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIntake } from '../normalize/intake.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import {
  AS_OF,
  ITEMS,
  OPENING_AT,
  eastPosition,
  hoursBefore,
} from '../../../test/support/engine/scenario.ts';
import { eventsArb } from '../../../test/support/engine/random.ts';
import { expectedByName, movementBalances, projectExpected } from './expected.ts';
import type { RawEvent } from '../model/types.ts';

const T = Date.parse(AS_OF);

function ingest(events: RawEvent[]) {
  const intake = createIntake(buildRuleset({ items: ITEMS }));
  for (const sku of Object.keys(ITEMS)) {
    intake.opening(eastPosition('wms-east', sku, 50, { asOf: OPENING_AT }));
  }
  for (const e of events) intake.event(e);
  intake.flush();
  return intake;
}

function positions(events: RawEvent[]): Record<string, number> {
  const intake = ingest(events);
  return Object.fromEntries([...expectedByName(intake, projectExpected(intake, T))].sort());
}

describe('ledger', () => {
  it('is double entry: every movement sums to zero over all accounts', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const balances = movementBalances(ingest(events), T);
        const total = [...balances.values()].reduce((a, b) => a + b, 0);
        expect(total).toBe(0);
      }),
    );
  });

  it('gives the same positions whatever the arrival order (cycle counts included)', () => {
    const arb = eventsArb.chain((events) =>
      fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
    );
    fc.assert(
      fc.property(arb, ([events, shuffled]) => {
        expect(positions(shuffled)).toEqual(positions(events));
      }),
    );
  });

  it('ignores a re-ingested event, even when its content differs', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(), (events, pick) => {
        const again = { ...events[pick % events.length]!, quantity: 999 };
        expect(positions([...events, again, ...events])).toEqual(positions(events));
      }),
    );
  });

  it('books counted − book at the count, then later movements on top', () => {
    const bin = 'WH-EAST-A-01';
    const events: RawEvent[] = [
      {
        source: 'wms-east',
        sourceEventId: 'c',
        type: 'cycle_count',
        sku: 'SKU-1',
        location: bin,
        toStatus: 'AVAILABLE',
        quantity: 44,
        occurredAt: hoursBefore(10),
      },
      {
        source: 'wms-east',
        sourceEventId: 's',
        type: 'shipment',
        sku: 'SKU-1',
        location: bin,
        quantity: 4,
        occurredAt: hoursBefore(5),
      },
      {
        source: 'wms-east',
        sourceEventId: 'r',
        type: 'receipt',
        sku: 'SKU-1',
        location: bin,
        quantity: 6,
        occurredAt: hoursBefore(20),
      },
    ];
    const intake = ingest(events);
    const byName = expectedByName(intake, projectExpected(intake, T));
    expect(byName.get('SKU-1 WH-EAST 0')).toBe(40);
    const balances = movementBalances(intake, T);
    expect(balances.get('SKU-1 shrinkage')).toBe(12);
  });

  it('leaves events after T and the ERP (not the system of record) out of the ledger', () => {
    const later = {
      source: 'wms-east',
      sourceEventId: 'x',
      type: 'receipt',
      sku: 'SKU-1',
      location: 'WH-EAST-A-01',
      quantity: 5,
    } as const;
    const intake = ingest([
      { ...later, occurredAt: '2026-11-22T10:00:00Z' },
      { ...later, source: 'erp', location: 'East DC - TC', occurredAt: hoursBefore(3) },
    ]);
    const total = [...expectedByName(intake, projectExpected(intake, T)).values()].reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(150);
  });
});
