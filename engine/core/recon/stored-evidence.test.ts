import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { FACT_NAMES } from '../facts.ts';
import { decodeEvidence, encodeEvidence, FACT_LAYOUTS, readEvidence } from './stored-evidence.ts';
import type { Evidence } from './types.ts';
import type { MovementEvent } from '../model/types.ts';

const facts = Object.fromEntries(
  FACT_NAMES.map((n, i) => [n, i % 3 === 0 ? `t${i}` : i % 3 === 1 ? i : i % 2 === 0]),
) as unknown as Evidence['facts'];

const movement: MovementEvent = {
  source: 'wms-east',
  sourceEventId: 'W1-2',
  type: 'putaway',
  sku: 'SKU-1',
  from: { kind: 'stock', location: 'WH-EAST-B-12', bucket: 'in_transit' },
  to: { kind: 'stock', location: 'WH-EAST-B-12', bucket: 'sellable' },
  quantity: 91,
  occurredAt: '2026-11-16T01:21:00.000Z',
  recordedAt: '2026-11-16T01:21:00.000Z',
};

function evidence(over: Partial<Evidence> = {}): Evidence {
  return {
    quantities: { 'wms-east': 3, shop: 4 },
    expected: 3,
    variance: 1,
    unit: 'each',
    history: [movement],
    unmatched: [],
    decidedBy: { rule: 'r', file: 'classification.yaml', line: 3 },
    rules: [],
    tolerance: null,
    facts,
    rulesetVersion: 'abc',
    ...over,
  };
}

/** What reading the stored text gives, and the stored JSON itself. */
function stored(e: Evidence): { back: unknown; json: Record<string, unknown> } {
  const text = encodeEvidence(e);
  return { back: readEvidence(text), json: JSON.parse(text) as Record<string, unknown> };
}

describe('stored evidence', () => {
  it('stores the facts in the last layout, which lists the facts as they are declared', () => {
    expect(FACT_LAYOUTS.at(-1)).toEqual(FACT_NAMES);
  });

  it('packs every optional part of a movement and gives each back', () => {
    const full: MovementEvent = {
      ...movement,
      to: { kind: 'outside', account: 'customer' },
      recordedAt: '2026-11-16T02:00:00.000Z',
      reference: 'PO-1',
      reasonCode: 'DAMAGE',
      rawFromStatus: 'INBOUND',
      rawToStatus: 'AVAILABLE',
      origin: { file: 'wms/tx.csv', line: 41808 },
      pairedWith: { source: 'erp', sourceEventId: 'E-9', method: 'crosswalk' },
    };
    const only: MovementEvent = { ...movement, reasonCode: 'COUNT' };
    const e = evidence({ history: [movement, full, only] });
    const { back, json } = stored(e);
    expect(back).toEqual(e);
    expect(json.layout).toBe(1);
    // the movement's source, id, type, sku and from account lead every array
    const head = ['wms-east', 'W1-2', 'putaway', 'SKU-1', ['WH-EAST-B-12', 'in_transit']];
    const sellable = ['WH-EAST-B-12', 'sellable'];
    const at = '2026-11-16T01:21:00.000Z';
    expect(json.history).toEqual([
      [...head, sellable, 91, at, 0],
      [
        ...head,
        'customer',
        91,
        at,
        '2026-11-16T02:00:00.000Z',
        'PO-1',
        'DAMAGE',
        'INBOUND',
        'AVAILABLE',
        'wms/tx.csv',
        41808,
        ['erp', 'E-9', 'crosswalk'],
      ],
      [...head, sellable, 91, at, 0, null, 'COUNT'],
    ]);
    expect(json.facts).toEqual([FACT_LAYOUTS.length - 1, ...FACT_NAMES.map((n) => facts[n])]);
  });

  it('keeps as written what has another shape: nothing of it is lost', () => {
    const odd = [
      { ...movement, lot: 'L7' },
      { ...movement, reference: null },
      { ...movement, from: { kind: 'stock', location: 'A', bucket: 'sellable', bin: '3' } },
      { ...movement, origin: { file: 'x.csv', line: 2, column: 4 } },
      {
        ...movement,
        pairedWith: { source: 'erp', sourceEventId: 'E', method: 'crosswalk', at: 1 },
      },
      { ...movement, quantity: '5' },
    ] as unknown as MovementEvent[];
    const { [FACT_NAMES[0]!]: _, ...fewer } = facts;
    const cases = [
      evidence({ history: odd }),
      evidence({ facts: { ...facts, extra: 1 } as Evidence['facts'] }),
      evidence({ facts: fewer as Evidence['facts'] }),
      evidence({
        candidates: [
          { cause: 'C', rule: 'r', fired: true, for: ['a=1'], against: [] },
          { cause: 'C', rule: 'r', fired: true, for: ['a=1'] } as never,
          { cause: 'C', rule: 'r', fired: true, for: ['a=1'], against: [], note: 'x' } as never,
        ],
      }),
      evidence({
        linked: [{ source: 'shop', bucket: 'sellable' }] as never,
        lastMatchedRunId: 'r1',
      }),
      { quantities: {} } as unknown as Evidence,
    ];
    for (const e of cases) expect(stored(e).back).toEqual(JSON.parse(JSON.stringify(e)));
    const history = stored(evidence({ history: odd })).json.history as unknown[];
    expect(history.filter((h) => !Array.isArray(h))).toHaveLength(odd.length);
  });

  it('reads the plain JSON saved before the layout as it is', () => {
    const plain = JSON.parse(JSON.stringify(evidence())) as unknown;
    expect(decodeEvidence(plain)).toBe(plain);
    expect(readEvidence('{"lastMatchedRunId":"r3"}')).toEqual({ lastMatchedRunId: 'r3' });
  });

  it('refuses evidence stored in a layout it does not know, saying so', () => {
    const text = encodeEvidence(evidence()).replace('"layout":1', '"layout":2');
    expect(() => readEvidence(text)).toThrow(/layout 2, which this version of Tally does not know/);
  });

  it('writes a candidate that may still change as it is each time', () => {
    const open = { cause: 'C', rule: 'r', fired: true, for: ['a=1'], against: [] as string[] };
    const e = evidence({ candidates: [open] });
    expect(readEvidence(encodeEvidence(e)).candidates).toEqual([open]);
    open.for.push('b=2');
    expect(readEvidence(encodeEvidence(e)).candidates).toEqual([
      { cause: 'C', rule: 'r', fired: true, for: ['a=1', 'b=2'], against: [] },
    ]);
  });

  it('refuses facts stored in a layout it does not know, saying so', () => {
    const text = encodeEvidence(evidence()).replace(/"facts":\[\d+/, '"facts":[99');
    expect(() => readEvidence(text)).toThrow(InputError);
    expect(() => readEvidence(text)).toThrow(/layout 99.*does not know/);
  });
});
