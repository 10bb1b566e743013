import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { correctionUri, shopifyConnector } from '../../connectors/shopify/index.ts';
import type { WriteBackRequest } from '../../connectors/types.ts';
import { ExternalError } from '../../engine/core/errors.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify-server.ts';
import { item, level, LOC_MAIN, shopifySource, TOKEN, TOKEN_ENV } from './shopify-support.ts';

let fake: FakeShopify;

beforeEach(async () => {
  process.env[TOKEN_ENV] = TOKEN;
  fake = await startFakeShopify({
    token: TOKEN,
    state: { items: [item(1, 'TEE-BLK-M', [level(LOC_MAIN, { available: 10, damaged: 2 })])] },
  });
});
afterEach(async () => {
  await fake.close();
  delete process.env[TOKEN_ENV];
});

const source = () =>
  shopifySource({ endpoint: fake.endpoint, locations: { [LOC_MAIN]: 'WH-MAIN' } });
const quantities = () => fake.state.items[0]!.levels[0]!.quantities;
const request = (over: Partial<WriteBackRequest> = {}): WriteBackRequest => ({
  idempotencyKey: 'corr-42',
  sku: 'TEE-BLK-M',
  location: 'WH-MAIN',
  rawStatus: 'available',
  delta: -3,
  expectedCurrent: 10,
  reasonCode: 'SHRINKAGE',
  reference: 'EXC-7',
  ...over,
});
const writeBack = (r: WriteBackRequest) => shopifyConnector.writeBack!(source(), r);

describe('shopify write-back', () => {
  it('applies the correction once, with the compare value and the correction reference', async () => {
    const res = await writeBack(request());
    expect(res).toEqual({
      status: 'applied',
      externalId: 'gid://shopify/InventoryAdjustmentGroup/1',
    });
    expect(quantities()).toMatchObject({ available: 7, on_hand: 9 });
    expect(fake.state.adjustments).toEqual([
      expect.objectContaining({
        reason: 'shrinkage',
        referenceDocumentUri: 'tally://correction/corr-42',
        changes: [
          expect.objectContaining({
            name: 'available',
            delta: -3,
            quantityAfterChange: 7,
            ledgerDocumentUri: null,
          }),
        ],
      }),
    ]);
    const mutation = fake.requests.find((r) => r.query.includes('inventoryAdjustQuantities'))!;
    expect(mutation.variables.input).toMatchObject({ changes: [{ changeFromQuantity: 10 }] });

    // Called again with the same key (a double click, a replayed job): nothing more happens.
    expect(await writeBack(request())).toEqual(res);
    expect(fake.state.adjustments.length).toBe(1);
    expect(quantities().available).toBe(7);
  });

  it('sends a ledger document for names other than available', async () => {
    const res = await writeBack(
      request({
        rawStatus: 'damaged',
        delta: 1,
        expectedCurrent: 2,
        reasonCode: 'DAMAGED_IN_FACILITY',
      }),
    );
    expect(res.status).toBe('applied');
    expect(fake.state.adjustments[0]!.changes[0]).toMatchObject({
      name: 'damaged',
      ledgerDocumentUri: correctionUri('corr-42'),
    });
    expect(fake.state.adjustments[0]!.reason).toBe('damaged');
  });

  it('returns stale with the quantity of now when it moved since approval, and changes nothing', async () => {
    quantities().available = 8; // a sale happened after the approver looked
    const res = await writeBack(request());
    expect(res).toEqual({ status: 'stale', currentQuantity: 8 });
    expect(fake.state.adjustments).toEqual([]);
    expect(quantities().available).toBe(8);
  });

  it('after a crash that lost the response, the retry finds the adjustment and does not apply it again', async () => {
    fake.inject({ kind: 'dropAfterApply' }, /inventoryAdjustQuantities/);
    const crash = await writeBack(request()).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(ExternalError);
    expect(crash).toMatchObject({ code: 'SHOPIFY_NETWORK', retryable: true });
    expect(fake.state.adjustments.length).toBe(1); // Shopify did apply it

    const retry = await writeBack(request());
    expect(retry).toEqual({
      status: 'applied',
      externalId: 'gid://shopify/InventoryAdjustmentGroup/1',
    });
    expect(fake.state.adjustments.length).toBe(1);
    expect(quantities().available).toBe(7);
  });

  it('fails with a reason when the SKU, location or quantity name cannot be adjusted', async () => {
    expect(await writeBack(request({ sku: 'NOPE' }))).toEqual({
      status: 'failed',
      reason: 'no Shopify inventory item has SKU NOPE',
    });
    expect(await writeBack(request({ location: 'WH-OTHER' }))).toMatchObject({ status: 'failed' });
    expect(await writeBack(request({ rawStatus: 'on_hand' }))).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('on_hand'),
    });
    expect(fake.state.adjustments).toEqual([]);
  });

  it('without inventoryHistory on the API version, a retry after a lost response is stale, never applied twice', async () => {
    await fake.close();
    fake = await startFakeShopify({
      token: TOKEN,
      supportsHistory: false,
      state: { items: [item(1, 'TEE-BLK-M', [level(LOC_MAIN, { available: 10 })])] },
    });
    fake.inject({ kind: 'dropAfterApply' }, /inventoryAdjustQuantities/);
    await expect(writeBack(request())).rejects.toMatchObject({ code: 'SHOPIFY_NETWORK' });
    expect(await writeBack(request())).toEqual({ status: 'stale', currentQuantity: 7 });
    expect(fake.state.adjustments.length).toBe(1);
    expect(quantities().available).toBe(7);
  });
});
