import { describe, expect, it } from 'vitest';
import { createIntake, reconcile } from './index.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import {
  AS_OF,
  ITEMS,
  baseline,
  eastPosition,
  event,
  hoursBefore,
} from '../../../test/support/engine/scenario.ts';
import { iso } from './evidence.ts';

describe('iso', () => {
  it('writes every time exactly as Date#toISOString does', () => {
    const times = [
      0, -1, -60_000, -86_400_001, 1, 59_999, 60_000, 8.64e15, -8.64e15, 253402300799999,
    ];
    let t = Date.parse('2026-11-14T23:00:00Z');
    for (let i = 0; i < 20_000; i++) {
      t += (i * 7919) % 3_600_001;
      times.push(t, t + 0.5, Math.floor(t / 60_000) * 60_000);
    }
    for (const ms of times) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('refuses a time that is not one, as Date#toISOString does', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});

describe("an exception's history", () => {
  it('names each account by one frozen object, the same wherever it recurs', async () => {
    const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
    baseline(intake, ['SKU-1'], new Set(['wms-east:SKU-1']));
    intake.position(eastPosition('wms-east', 'SKU-1', 91));
    for (const hours of [60, 50, 40])
      intake.event(event({ source: 'wms-east', type: 'shipment', occurredAt: hoursBefore(hours) }));
    const run = await reconcile(intake, { asOf: AS_OF });
    const history = run.results.flatMap((r) => r.evidence?.history ?? []);
    const fromWms = history.filter((e) => e.source === 'wms-east');
    expect(fromWms.length).toBeGreaterThanOrEqual(2);
    const [a, b] = fromWms;
    expect(a!.from).toEqual({ kind: 'stock', location: 'WH-EAST-A-01', bucket: 'sellable' });
    expect(b!.from).toBe(a!.from);
    expect(Object.isFrozen(a!.from) && Object.isFrozen(a!.to)).toBe(true);
  });
});
