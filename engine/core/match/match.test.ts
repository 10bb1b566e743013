import { describe, expect, it } from 'vitest';
import { linearRegex } from '../rules/linear-regex.ts';
import fc from 'fast-check';
import { createIntake } from '../normalize/intake.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { AS_OF, ITEMS, event, hoursBefore } from '../../../test/support/engine/scenario.ts';
import { matchEvents } from './match.ts';
import { resolveBooks } from '../rules/books.ts';
import type { RawEvent } from '../model/types.ts';
import type { Crosswalk } from '../rules/types.ts';

const T = Date.parse(AS_OF);

function unmatched(events: RawEvent[], ruleset = buildRuleset({ items: ITEMS })) {
  const intake = createIntake(ruleset);
  for (const e of events) intake.event(e);
  intake.flush();
  const result = matchEvents(intake, T, new Map());
  return [...result.unmatched.values()].flat().map((u) => ({
    id: intake.events.id(u.event),
    missingIn: u.missingIn.map((s) => intake.ctx.sources[s]!.def.id),
    status: u.status,
  }));
}

describe('event matching', () => {
  it('is timing inside the posting lag and a break past it, naming the system lacking it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.boolean(), (minutes, web) => {
        const ship = event({
          source: 'wms-east',
          type: 'shipment',
          reference: web ? 'SO-W1' : 'SO-1',
          occurredAt: new Date(T - minutes * 60_000).toISOString(),
        });
        const [u] = unmatched([ship]);
        // wms-east → erp lag 240 min; wms-east → shop 120 min: the shortest missing lag decides.
        const breakAfter = web ? 120 : 240;
        expect(u).toEqual({
          id: ship.sourceEventId,
          missingIn: web ? ['erp', 'shop'] : ['erp'],
          status: minutes < breakAfter ? 'timing' : 'break',
        });
      }),
    );
  });

  it('pairs counterparts by reference, sku and quantity, whatever their ids', () => {
    const at = { reference: 'PO-7', quantity: 12, occurredAt: hoursBefore(30) };
    const events = [
      event({ source: 'wms-east', type: 'receipt', ...at }),
      event({ source: 'erp', type: 'receipt', ...at }),
      event({ source: 'erp', type: 'receipt', ...at, quantity: 11, sourceEventId: 'odd' }),
    ];
    expect(unmatched(events)).toEqual([{ id: 'odd', missingIn: ['wms-east'], status: 'break' }]);
  });

  it('reports a non-system-of-record event with no counterpart as lacking in the system of record', () => {
    const adj = event({
      source: 'erp',
      type: 'adjustment',
      reference: 'ADJ-1',
      occurredAt: hoursBefore(1),
    });
    expect(unmatched([adj])).toEqual([
      { id: adj.sourceEventId, missingIn: ['wms-east'], status: 'timing' },
    ]);
  });
});

describe("a channel's orders", () => {
  /** The fixture's rules with the shop's orderReferences replaced (absent: undefined). */
  function withOrders(orderReferences: string[] | undefined, extraChannel?: string[]) {
    const ruleset = buildRuleset({ items: ITEMS });
    const shop = ruleset.sources.get('shop')!;
    ruleset.sources.set('shop', { ...shop, orderReferences });
    if (extraChannel) {
      const market = { ...shop, id: 'market', role: 'marketplace' as const };
      ruleset.sources.set('market', { ...market, orderReferences: extraChannel });
    }
    return ruleset;
  }
  const shipment = (reference: string) =>
    event({ source: 'wms-east', type: 'shipment', reference, occurredAt: hoursBefore(30) });

  it('requires in the channel the booked shipments its orderReferences name, and no others', () => {
    // Shopify's order names (#1001): the shop's orders whatever the demo calls its own
    const ruleset = withOrders(['#*']);
    const web = shipment('#1001');
    const store = shipment('SO-W1');
    expect(unmatched([web, store], ruleset)).toEqual([
      { id: web.sourceEventId, missingIn: ['erp', 'shop'], status: 'break' },
      { id: store.sourceEventId, missingIn: ['erp'], status: 'break' },
    ]);
  });

  it('requires no shipment in a channel that names no orders', () => {
    const web = shipment('SO-W1');
    expect(unmatched([web], withOrders(undefined))).toEqual([
      { id: web.sourceEventId, missingIn: ['erp'], status: 'break' },
    ]);
  });

  it('asks each channel for its own orders only, and is satisfied by the one that has it', () => {
    const ruleset = withOrders(['SO-W*'], ['AMZ-???-*']);
    const ours = shipment('SO-W7');
    const theirs = shipment('AMZ-113-9');
    const inShop = event({
      source: 'shop',
      type: 'shipment',
      reference: 'SO-W7',
      occurredAt: hoursBefore(30),
      location: 'gid://shopify/Location/1',
    });
    expect(unmatched([ours, theirs, inShop], ruleset)).toEqual([
      { id: ours.sourceEventId, missingIn: ['erp'], status: 'break' },
      { id: theirs.sourceEventId, missingIn: ['erp', 'market'], status: 'break' },
    ]);
  });
});

describe('event matching where the ERP is the book', () => {
  it('books the ERP at that location and asks the 3PL for its movements, and the ERP for the 3PL’s', () => {
    const ruleset = buildRuleset({ items: ITEMS });
    const sources = [...ruleset.sources.values()].map((s, index) => ({ ...s, index }));
    const parentOf = new Map([...ruleset.mappings.locations.values()].map((l) => [l.id, l.parent]));
    const entries = [
      { location: 'WH-WEST', domain: 'physical_movements', source: 'erp', index: 0 },
    ];
    ruleset.books = resolveBooks(sources, entries, parentOf).books;
    const intake = createIntake(ruleset);
    const at = { location: 'WH-WEST', type: 'shipment' as const, occurredAt: hoursBefore(30) };
    intake.event(event({ ...at, source: 'erp', reference: 'SO-1', sourceEventId: 'erp-1' }));
    intake.event(event({ ...at, source: '3pl-west', reference: 'SO-2', sourceEventId: '3pl-2' }));
    intake.flush();
    const result = matchEvents(intake, T, new Map());
    const got = [...result.unmatched.values()].flat().map((u) => ({
      id: intake.events.id(u.event),
      booked: intake.events.booked.get(u.event),
      missingIn: u.missingIn.map((s) => intake.ctx.sources[s]!.def.id),
    }));
    expect(got).toEqual([
      { id: '3pl-2', booked: 0, missingIn: ['erp'] },
      { id: 'erp-1', booked: 1, missingIn: ['3pl-west'] },
    ]);
  });
});

describe('event matching across references that differ', () => {
  function run(crosswalk: Partial<Crosswalk>, events: RawEvent[]) {
    const ruleset = buildRuleset({ items: ITEMS });
    ruleset.mappings.crosswalks = [
      {
        sources: ['wms-east', 'erp'],
        patterns: [],
        amendments: false,
        proximity: false,
        ...crosswalk,
      },
    ];
    const intake = createIntake(ruleset);
    for (const e of events) intake.event(e);
    intake.flush();
    const result = matchEvents(intake, T, new Map());
    const ids = (i: number) => intake.events.id(i);
    return {
      unmatched: [...result.unmatched.values()]
        .flat()
        .map((u) => ids(u.event))
        .sort(),
      pairedBy: [...result.pairedBy]
        .map(([i, p]) => `${ids(i)}~${ids(p.partner)} ${p.method}`)
        .sort(),
    };
  }
  const count = (source: 'wms-east' | 'erp', id: string, reference: string, hours: number) =>
    event({
      source,
      type: 'adjustment',
      reference,
      sourceEventId: id,
      quantity: 4,
      occurredAt: hoursBefore(hours),
    });

  it('without a crosswalk, a count under two references is two breaks', () => {
    const got = run({ sources: ['shop', 'pos'] }, [
      count('wms-east', 'w', 'CC-17', 30),
      count('erp', 'e', 'MAT-RECO-17', 29),
    ]);
    expect(got.unmatched).toEqual(['e', 'w']);
  });

  it('a pattern links the WMS count task to the ERP reconciliation, an amendment to its original', () => {
    const patterns = [{ from: linearRegex('^CC-(\\d+)$'), to: 'MAT-RECO-$1' }];
    const got = run({ patterns, amendments: true }, [
      count('wms-east', 'w1', 'CC-17', 30),
      count('erp', 'e1', 'MAT-RECO-17', 29),
      count('wms-east', 'w2', 'MAT-STE-0042', 20),
      count('erp', 'e2', 'MAT-STE-0042-1', 19),
    ]);
    expect(got).toEqual({
      unmatched: [],
      pairedBy: ['e1~w1 crosswalk', 'e2~w2 amendment', 'w1~e1 crosswalk', 'w2~e2 amendment'],
    });
  });

  it("the ERP's field naming the WMS task pairs them, and is used only where the crosswalk says so", () => {
    const against = (
      id: string,
      reference: string,
      counterpartReference: string,
      hours: number,
    ) => ({
      ...count('erp', id, reference, hours),
      counterpartReference,
    });
    const events = [
      count('wms-east', 'w1', 'CC-17', 30),
      against('e1', 'MAT-RECO-00017', 'CC-17', 29),
      count('wms-east', 'w2', 'CC-18', 30),
      against('e2', 'MAT-RECO-00018', 'Against CC-18, recount', 29), // a remark naming it
      count('wms-east', 'w3', 'CC-19', 30),
      against('e3', 'MAT-RECO-00019', 'CC-190', 29), // not the same task
    ];
    expect(run({ counterpartReference: true }, events)).toEqual({
      unmatched: ['e3', 'w3'],
      pairedBy: [
        'e1~w1 counterpart',
        'e2~w2 counterpart',
        'w1~e1 counterpart',
        'w2~e2 counterpart',
      ],
    });
    expect(run({}, events).unmatched).toEqual(['e1', 'e2', 'e3', 'w1', 'w2', 'w3']);
  });

  it('proximity pairs what nothing links, one to one, inside the posting lag only', () => {
    const got = run({ proximity: true }, [
      count('wms-east', 'w1', 'CC-1', 30),
      count('erp', 'e1', 'X-9', 28), // 2 h later: inside the 240-minute lag
      count('wms-east', 'w2', 'CC-2', 20),
      count('erp', 'e2', 'X-8', 10), // 10 h later: outside it
    ]);
    expect(got).toEqual({
      unmatched: ['e2', 'w2'],
      pairedBy: ['e1~w1 proximity', 'w1~e1 proximity'],
    });
  });
});
