import { describe, expect, it } from 'vitest';
import { createIntake } from './intake.ts';
import { buildRuleset } from '../../../test/support/engine/ruleset.ts';
import { expectedByName, projectExpected } from '../ledger/expected.ts';
import { keyId } from '../model/skuloc.ts';
import type { RawEvent, RawPosition } from '../model/types.ts';
import { textHash, type ByteTexts } from '../model/byte-texts.ts';

const items = {
  'SKU-1': { skuClass: 'apparel' },
  'SKU-2': { skuClass: 'beverage' },
};
const T = '2026-11-21T23:00:00Z';

function pos(over: Partial<RawPosition>): RawPosition {
  return {
    source: 'erp',
    sku: 'SKU-1',
    location: 'East DC - TC',
    status: 'Unrestricted',
    quantity: 5,
    asOf: T,
    ...over,
  };
}

function positionsOf(intake: ReturnType<typeof createIntake>) {
  const t = intake.positions;
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(
      `${intake.skus.value(t.sku.get(i))} ${intake.locations.value(t.cmp.get(i))} ${t.bucket.get(i)} ${t.qty.get(i)}`,
    );
  }
  return out;
}

describe('intake normalization', () => {
  it('maps statuses to buckets per source and drops ignored totals', () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.position(pos({ status: 'Reserved', quantity: 2 }));
    intake.position(
      pos({ source: 'shop', location: 'gid://shopify/Location/1', status: 'on_hand' }),
    );
    intake.position(
      pos({ source: 'shop', location: 'gid://shopify/Location/1', status: 'damaged' }),
    );
    intake.flush();
    expect(positionsOf(intake)).toEqual(['SKU-1 WH-EAST 1 2', 'SKU-1 WH-EAST 2 5']);
    expect(intake.findings).toEqual([]);
  });

  it('reports an unknown status, location or sku and keeps the row out', () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.position(pos({ status: 'Weird' }));
    intake.position(pos({ location: 'Nowhere' }));
    intake.position(pos({ sku: 'SKU-404' }));
    intake.flush();
    expect(intake.findings.map((f) => f.code)).toEqual([
      'UNKNOWN_STATUS',
      'UNKNOWN_LOCATION',
      'UNKNOWN_SKU',
    ]);
    expect(intake.positions.length).toBe(0);
  });

  it('says why an unknown sku may be an item a spreadsheet mangled', () => {
    const master = {
      ...items,
      '4006381333931': { skuClass: 'apparel' },
      '012345678905': { skuClass: 'apparel' },
      '7700': { skuClass: 'apparel' },
    };
    const intake = createIntake(buildRuleset({ items: master }));
    for (const sku of ['4.00638E+12', '12345678905', '7700.0', 'sku-2', 'SKU-404'])
      intake.position(pos({ sku }));
    intake.flush();
    expect(intake.findings.map((f) => f.message)).toEqual([
      'sku "4.00638E+12" is neither an item nor an alias; it reads as a number written in scientific notation (Excel does so with a long numeric code), its digits lost: export the column as text',
      'sku "12345678905" is neither an item nor an alias; the item master has "012345678905": its leading zeros were dropped (a spreadsheet read the code as a number): export the column as text, or map it (skuAliases)',
      'sku "7700.0" is neither an item nor an alias; the item master has "7700": the code was written as a number with decimals',
      'sku "sku-2" is neither an item nor an alias; the item master has "SKU-2": only the case differs (skus are compared exactly; map it with skuAliases)',
      'sku "SKU-404" is neither an item nor an alias',
    ]);
  });

  it('converts cases to base units and flags a non-whole conversion', () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.position(pos({ sku: 'SKU-2', unit: 'Case', quantity: 3 }));
    intake.position(pos({ sku: 'SKU-2', unit: 'Case', quantity: 0.1, status: 'Blocked' }));
    intake.position(pos({ sku: 'SKU-1', unit: 'EA', quantity: 2.5, status: 'Reserved' }));
    intake.flush();
    expect(positionsOf(intake)).toEqual(['SKU-2 WH-EAST 0 36']);
    expect(intake.findings.map((f) => f.code)).toEqual(['UOM_ROUNDING', 'UOM_ROUNDING']);
    const sku1 = intake.skus.find('SKU-1') as number;
    const east = intake.locations.find('WH-EAST') as number;
    expect(intake.roundingKeys.has(keyId(intake.skuLocs.find(sku1, east)!, 1))).toBe(true);
  });

  it('resolves aliases from the item master even when the items arrive later', () => {
    const intake = createIntake(buildRuleset({}));
    intake.position(
      pos({
        source: 'shop',
        sku: 'gid://1',
        location: 'gid://shopify/Location/2',
        status: 'available',
      }),
    );
    intake.item({ sku: 'SKU-9', skuClass: 'apparel', aliases: { shop: 'gid://1' } });
    intake.flush();
    expect(positionsOf(intake)).toEqual(['SKU-9 WH-WEST 0 5']);
  });

  it('forgets what it remembered of a raw sku when a later item makes it an alias', () => {
    const intake = createIntake(buildRuleset({ items }));
    const shop = { source: 'shop', location: 'gid://shopify/Location/2', status: 'available' };
    intake.position(pos({ ...shop, sku: 'SKU-1', quantity: 1 }));
    intake.item({ sku: 'SKU-2', skuClass: 'beverage', aliases: { shop: 'SKU-1' } });
    intake.position(pos({ ...shop, sku: 'SKU-1', quantity: 2, unit: 'case' }));
    intake.flush();
    expect(positionsOf(intake)).toEqual(['SKU-1 WH-WEST 0 1', 'SKU-2 WH-WEST 0 24']);
  });

  it("resolves the same sku text per source: an alias of one source is not the others' sku", () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.item({ sku: 'SKU-2', skuClass: 'beverage', aliases: { shop: 'SKU-1' } });
    const shop = { source: 'shop', location: 'gid://shopify/Location/2', status: 'available' };
    intake.position(pos({ sku: 'SKU-1', quantity: 1 }));
    intake.position(pos({ ...shop, sku: 'SKU-1', quantity: 2 }));
    intake.position(
      pos({ source: 'wms-east', location: 'WH-EAST-A-01', status: 'AVAILABLE', quantity: 3 }),
    );
    intake.flush();
    expect(positionsOf(intake)).toEqual([
      'SKU-1 WH-EAST 0 1',
      'SKU-2 WH-WEST 0 2',
      'SKU-1 WH-EAST 0 3',
    ]);
  });

  it('reads units by the item as it stands when the row arrives', () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.position(pos({ sku: 'SKU-1', unit: 'Case', quantity: 1 }));
    intake.item({ sku: 'SKU-1', skuClass: 'beverage' });
    intake.position(pos({ sku: 'SKU-1', unit: 'Case', quantity: 2, status: 'Reserved' }));
    intake.flush();
    expect(intake.findings.map((f) => f.code)).toEqual(['UNKNOWN_UNIT']);
    expect(positionsOf(intake)).toEqual(['SKU-1 WH-EAST 1 24']);
    expect(intake.itemOf(intake.skus.find('SKU-1')!).skuClass).toBe('beverage');
  });

  it('takes an event id once per source, whatever the other sources use', () => {
    const intake = createIntake(buildRuleset({ items }));
    const event = {
      source: 'erp',
      sourceEventId: 'E-1',
      type: 'receipt' as const,
      sku: 'SKU-1',
      location: 'East DC - TC',
      quantity: 3,
      occurredAt: T,
    };
    intake.event(event);
    intake.event({ ...event, quantity: 4 });
    intake.event({ ...event, source: 'shop', location: 'gid://shopify/Location/1' });
    intake.flush();
    expect(intake.events.length).toBe(2);
    expect([0, 1].map((i) => intake.events.id(i))).toEqual(['E-1', 'E-1']);
    expect([...intake.events.qty.data.subarray(0, 2)]).toEqual([3, 3]);
  });

  it('takes event ids and references given as byte texts, times as milliseconds, as it takes their strings', () => {
    const intake = createIntake(buildRuleset({ items }));
    const event: RawEvent = {
      source: 'erp',
      sourceEventId: 'E-1',
      type: 'receipt',
      sku: 'SKU-1',
      location: 'East DC - TC',
      quantity: 3,
      occurredAt: T,
      reference: 'PO-7',
    };
    intake.event(event);
    // a reading thread's batch: the same id again (a duplicate), then a new one, same reference
    const texts = byteTexts('E-1', 'PO-7', 'E-2', 'PO-7', 'TR-4');
    const bare = { ...event, sourceEventId: '', reference: undefined };
    const parts = (id: number, ref: number, xref: number, occurredMs = NaN, recordedMs = NaN) => ({
      texts,
      id,
      ref,
      xref,
      occurredMs,
      recordedMs,
    });
    intake.eventParts({ ...bare, quantity: 9 }, parts(0, 1, -1));
    const later = Date.parse(T) + 3_600_000;
    intake.eventParts(
      { ...bare, occurredAt: '', quantity: 4 },
      parts(2, 3, 4, later, later + 60_000),
    );
    intake.flush();
    const t = intake.events;
    expect(t.length).toBe(2);
    expect([t.occurred.get(0), t.occurred.get(1)]).toEqual([Date.parse(T), later]);
    expect([t.recorded.get(0), t.recorded.get(1)]).toEqual([Date.parse(T), later + 60_000]);
    expect([t.id(0), t.id(1)]).toEqual(['E-1', 'E-2']);
    expect([...t.qty.data.subarray(0, 2)]).toEqual([3, 4]);
    expect(t.ref.get(1)).toBe(t.ref.get(0));
    expect(intake.refs.value(t.ref.get(0))).toBe('PO-7');
    expect(intake.refs.value(t.xref.get(1))).toBe('TR-4');
    expect(t.xref.get(0)).toBe(-1);
    // and a string after its byte text is a duplicate too
    intake.event({ ...event, sourceEventId: 'E-2' });
    expect(intake.events.length).toBe(2);
  });

  it('keeps the byte texts and times of an event that waits for the item master', () => {
    const intake = createIntake(buildRuleset({}));
    const texts = byteTexts('S-1', 'ORD-9');
    const parts = { texts, id: 0, ref: 1, xref: -1, occurredMs: Date.parse(T), recordedMs: NaN };
    intake.eventParts(
      {
        source: 'shop',
        sourceEventId: '',
        type: 'shipment',
        sku: 'gid://1',
        location: 'gid://shopify/Location/2',
        quantity: -2,
        occurredAt: '',
      },
      parts,
    );
    expect(intake.pending).toBe(1);
    // the parts are refilled for the next event once this one is handled: what waits must not read them
    texts.bytes.fill(0);
    parts.occurredMs = 0;
    intake.item({ sku: 'SKU-9', skuClass: 'apparel', aliases: { shop: 'gid://1' } });
    intake.flush();
    expect(intake.events.length).toBe(1);
    expect(intake.events.id(0)).toBe('S-1');
    expect(intake.refs.value(intake.events.ref.get(0))).toBe('ORD-9');
    expect(intake.events.occurred.get(0)).toBe(Date.parse(T));
  });

  it('rolls bins up to the warehouse', () => {
    const intake = createIntake(buildRuleset({ items }));
    const wms = { source: 'wms-east', status: 'AVAILABLE' };
    intake.position(pos({ ...wms, location: 'WH-EAST-A-01', quantity: 3 }));
    intake.position(pos({ ...wms, location: 'WH-EAST-A-02', quantity: 4 }));
    intake.flush();
    expect(positionsOf(intake)).toEqual(['SKU-1 WH-EAST 0 3', 'SKU-1 WH-EAST 0 4']);
  });

  it('books opening rows of the system of record only, at bin level rolled up', () => {
    const intake = createIntake(buildRuleset({ items }));
    intake.opening(
      pos({
        source: 'wms-east',
        location: 'WH-EAST-A-01',
        status: 'AVAILABLE',
        quantity: 3,
        asOf: '2026-11-15T00:00:00Z',
      }),
    );
    intake.opening(
      pos({
        source: 'wms-east',
        location: 'WH-EAST-A-02',
        status: 'AVAILABLE',
        quantity: 4,
        asOf: '2026-11-15T00:00:00Z',
      }),
    );
    intake.opening(pos({ quantity: 99, asOf: '2026-11-15T00:00:00Z' }));
    intake.flush();
    const byName = expectedByName(intake, projectExpected(intake, Date.parse(T)));
    expect([...byName]).toEqual([['SKU-1 WH-EAST 0', 7]]);
  });

  it('makes room for live rows once loaded, so the next rows copy no column', () => {
    const intake = createIntake(buildRuleset({ items }));
    const rows = 20_000;
    intake.expect('positions', rows);
    for (let i = 0; i < rows; i++) intake.position(pos({ quantity: i, asOf: T }));
    const t = intake.positions;
    expect(t.sku.data.length).toBe(rows); // the files' reservation is exact
    intake.makeRoomForLiveRows();
    const columns = [t.sku.data, t.qty.data, t.bucket.data];
    expect(t.sku.data.length).toBe(rows + rows / 8);
    for (let i = 0; i < rows / 8; i++) intake.position(pos({ quantity: i }));
    // the very same arrays: nothing was copied
    expect([t.sku.data, t.qty.data, t.bucket.data].every((c, i) => c === columns[i])).toBe(true);
    expect(t.length).toBe(rows + rows / 8);
  });
});

/** Texts as a reading thread sends them (sink-wire.ts): Latin-1 bytes, ends and hashes. */
function byteTexts(...values: string[]): ByteTexts {
  const bytes = new Uint8Array(values.reduce((n, v) => n + v.length, 0));
  const ends = new Int32Array(values.length);
  const hashes = new Int32Array(values.length);
  let at = 0;
  values.forEach((v, k) => {
    for (let i = 0; i < v.length; i++) bytes[at++] = v.charCodeAt(i);
    ends[k] = at;
    hashes[k] = textHash(v);
  });
  return { bytes, ends, hashes };
}
