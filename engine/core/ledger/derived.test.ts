/**
 * Openings are optional: a location whose book sent no opening opens on the book's own snapshot,
 * and the result is the explicit opening's whenever that snapshot agrees with it.
 */
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
import { expectedByName, projectExpected } from './expected.ts';
import { replay } from './project.ts';
import { accountBucket, accountLocation } from '../model/accounts.ts';
import { matchEvents } from '../match/match.ts';
import type { RawEvent, RawPosition } from '../model/types.ts';

const T = Date.parse(AS_OF);
const WORD = ['AVAILABLE', 'ALLOCATED', 'DAMAGED', 'INBOUND'];

function explicitIntake(events: RawEvent[]) {
  const intake = createIntake(buildRuleset({ items: ITEMS }));
  for (const sku of Object.keys(ITEMS)) {
    intake.opening(eastPosition('wms-east', sku, 50, { asOf: OPENING_AT }));
  }
  for (const e of events) intake.event(e);
  intake.flush();
  return intake;
}

/** The book's snapshot at `at` as the explicit run's ledger has it, bin by bin. */
function bookSnapshot(events: RawEvent[], at: string): RawPosition[] {
  const intake = explicitIntake(events);
  const balances = new Map<string, { sku: number; account: number; qty: number }>();
  replay(intake, Date.parse(at), undefined, (sku, account, delta) => {
    if (
      account < 0 ||
      intake.compareOf(accountLocation(account)) !== intake.locations.id('WH-EAST')
    )
      return;
    const b = balances.get(`${sku}|${account}`) ?? { sku, account, qty: 0 };
    b.qty += delta;
    balances.set(`${sku}|${account}`, b);
  });
  return [...balances.values()].map((b) => ({
    source: 'wms-east',
    sku: intake.skus.value(b.sku),
    location: intake.locations.value(accountLocation(b.account)),
    status: WORD[accountBucket(b.account)]!,
    quantity: b.qty,
    asOf: at,
  }));
}

function derivedIntake(events: RawEvent[], snapshot: RawPosition[]) {
  const intake = createIntake(buildRuleset({ items: ITEMS }));
  for (const p of snapshot) intake.position(p);
  for (const e of events) intake.event(e);
  intake.flush();
  return intake;
}

const expectedOf = (intake: ReturnType<typeof explicitIntake>) =>
  Object.fromEntries([...expectedByName(intake, projectExpected(intake, T))].sort());

describe('derived openings', () => {
  it('give the explicit opening’s expected positions when the book’s snapshot agrees with it', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 0, max: 160 }), (events, hours) => {
        const at = hoursBefore(hours);
        const derived = derivedIntake(events, bookSnapshot(events, at));
        const explicit = expectedOf(explicitIntake(events));
        const got = expectedOf(derived);
        for (const [key, qty] of Object.entries(explicit))
          expect([key, got[key] ?? 0]).toEqual([key, qty]);
        for (const [key, qty] of Object.entries(got))
          expect([key, qty]).toEqual([key, explicit[key] ?? 0]);
      }),
    );
  });

  it('match every event, even those before the snapshot, where an opening file would hide them', () => {
    const shipment: RawEvent = {
      source: 'wms-east',
      sourceEventId: 'ship-1',
      type: 'shipment',
      sku: 'SKU-1',
      location: 'WH-EAST-A-01',
      fromStatus: 'AVAILABLE',
      quantity: 3,
      occurredAt: hoursBefore(30),
      reference: 'SO-1',
    };
    const snapshot = [eastPosition('wms-east', 'SKU-1', 47, { asOf: hoursBefore(2) })];
    const derived = derivedIntake([shipment], snapshot);
    const ledger = projectExpected(derived, T);
    expect(expectedOf(derived)['SKU-1 WH-EAST 0']).toBe(47);
    const unmatched = [...matchEvents(derived, T, ledger.matchFrom).unmatched.values()].flat();
    expect(unmatched.map((u) => derived.events.id(u.event))).toEqual(['ship-1']);

    const opened = createIntake(buildRuleset({ items: ITEMS }));
    opened.opening(eastPosition('wms-east', 'SKU-1', 47, { asOf: hoursBefore(2) }));
    opened.event(shipment);
    opened.flush();
    const hidden = matchEvents(opened, T, projectExpected(opened, T).matchFrom);
    expect([...hidden.unmatched.values()].flat()).toEqual([]);
  });
});
