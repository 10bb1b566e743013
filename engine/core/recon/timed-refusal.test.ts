/**
 * A refusal with a time (a live update that carried no quantity: a Shopify level with
 * `available: null`) leaves its key incomplete for its source from then until the source's
 * next row there; a run as of before it does not see it. A file's refused row (no time) holds
 * for the whole run, as before.
 */
import { describe, expect, it } from 'vitest';
import { createIntake, reconcile } from './index.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { DEMO_RULES } from '../../../test/support/engine/demo-rules.ts';
import {
  AS_OF,
  ITEMS,
  OPENING_AT,
  eastPosition,
  hoursBefore,
  untrackedLevel,
} from '../../../test/support/engine/scenario.ts';

function world(shopAt: string, refusedAt: string | undefined) {
  const intake = createIntake(buildRuleset({ items: ITEMS, rules: DEMO_RULES }));
  intake.opening(eastPosition('wms-east', 'SKU-1', 100, { asOf: OPENING_AT }));
  intake.position(eastPosition('erp', 'SKU-1', 100));
  intake.position(eastPosition('wms-east', 'SKU-1', 100));
  // the shop's last level: 90, ten fewer than the book
  intake.position(eastPosition('shop', 'SKU-1', 90, { asOf: shopAt }));
  intake.reject(untrackedLevel('SKU-1', refusedAt));
  return intake;
}

const shopCompared = async (shopAt: string, refusedAt: string | undefined, asOf = AS_OF) => {
  const run = await reconcile(world(shopAt, refusedAt), { asOf });
  return {
    variance: run.results.some((r) => r.source === 'shop' && r.sku === 'SKU-1'),
    notCompared: run.notCompared.map((n) => `${n.source} ${n.sku} ${n.reason}`),
  };
};

describe('a refusal with a time', () => {
  it('leaves the key incomplete after the level it follows', async () => {
    expect(await shopCompared(hoursBefore(5), hoursBefore(2))).toEqual({
      variance: false,
      notCompared: ['shop SKU-1 rejected_rows'],
    });
  });

  it('gives way to the next level of its source', async () => {
    expect(await shopCompared(hoursBefore(1), hoursBefore(2))).toEqual({
      variance: true,
      notCompared: [],
    });
  });

  it('is not seen by a run as of before it', async () => {
    expect(await shopCompared(hoursBefore(5), hoursBefore(2), hoursBefore(3))).toEqual({
      variance: true,
      notCompared: [],
    });
  });

  it('holds for the whole run without a time (a file row)', async () => {
    expect(await shopCompared(hoursBefore(1), undefined)).toEqual({
      variance: false,
      notCompared: ['shop SKU-1 rejected_rows'],
    });
  });
});
