import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amazonFbaConnector, tallyReason } from '../../connectors/amazon-fba/index.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { InputError } from '../../engine/core/errors.ts';
import { collect } from '../support/collect-sink.ts';
import { proposeRules } from '../../connectors/recognize/index.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/amazon');

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: 'amazon-us',
    connector: 'amazon-fba',
    role: 'marketplace',
    owner: 'marketplace-ops',
    timezone: 'UTC',
    cutoffMinutes: 0,
    expectedLagMinutes: 1440,
    systemOfRecord: ['physical_movements'],
    locations: [],
    group: 'daily',
    files: [],
    file: 'rules/sources.yaml',
    line: 40,
    settings,
  };
}

const read = async (settings: Record<string, unknown>, asOf?: string) => {
  const c = collect();
  const result = await amazonFbaConnector.read(
    { source: source(settings), dataDir: FIXTURES, asOf },
    c.sink,
  );
  return { ...c, result };
};

describe('amazon inventory report', () => {
  it('reads each afn quantity column as a raw status, derived totals included', async () => {
    const { positions, result, rejects } = await read({
      inventoryReport: 'fba-myi-unsuppressed-inventory.txt',
      inventoryAsOf: '2026-11-20T06:00:00Z',
    });
    expect(rejects).toEqual([]);
    const tee = Object.fromEntries(
      positions.filter((p) => p.sku === 'TEE-BLK-M').map((p) => [p.status, p.quantity]),
    );
    expect(tee).toEqual({
      'afn-fulfillable-quantity': 120,
      'afn-unsellable-quantity': 3,
      'afn-reserved-quantity': 7,
      'afn-warehouse-quantity': 130,
      'afn-total-quantity': 160,
      'afn-inbound-working-quantity': 0,
      'afn-inbound-shipped-quantity': 24,
      'afn-inbound-receiving-quantity': 6,
    });
    expect(positions[0]).toMatchObject({
      source: 'amazon-us',
      location: 'AMAZON_FBA',
      asOf: '2026-11-20T06:00:00.000Z',
      origin: { file: 'fba-myi-unsuppressed-inventory.txt', line: 2 },
    });
    // The merchant-fulfilled listing holds nothing in Amazon's network.
    expect(positions.some((p) => p.sku === 'MUG-LOCAL')).toBe(false);
    expect(result.files[0]).toMatchObject({ read: 3, accepted: 2, rejected: 0 });
    expect(result.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects bad rows whole, with line and reason, and keeps the good ones', async () => {
    const { positions, rejects } = await read({ inventoryReport: 'fba-myi-malformed.txt' });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'afn-fulfillable-quantity: expected a whole number ≥ 0, got "4.5"'],
      [4, 'afn-unsellable-quantity: expected a whole number ≥ 0, got "-1"'],
      [5, 'sku is empty'],
      [6, 'expected 18 tab-separated fields, found 10'],
    ]);
    expect(new Set(positions.map((p) => p.sku))).toEqual(new Set(['TEE-BLK-M']));
    expect(rejects[0]!.raw).toContain('TEE-BLK-L');
  });

  it('refuses a report without the documented columns, naming all missing ones', async () => {
    const err = await read({ inventoryReport: 'fba-myi-missing-columns.txt' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({
      code: 'AMAZON_MISSING_COLUMNS',
      where: { file: 'fba-myi-missing-columns.txt', line: 1 },
    });
    expect((err as Error).message).toContain('missing column(s) sku, afn-reserved-quantity');
  });

  it('says which file is missing', async () => {
    await expect(read({ inventoryReport: 'nope.txt' })).rejects.toMatchObject({
      code: 'AMAZON_REPORT_MISSING',
    });
  });
});

describe('amazon ledger detail view', () => {
  it('reads movements by event type with direction from the sign of Quantity', async () => {
    const { events, rejects } = await read({ ledgerReport: 'ledger-detail-view.txt' });
    expect(rejects).toEqual([]);
    const byRef = (ref: string) => events.filter((e) => e.reference === ref);
    expect(byRef('FBA15XYZ0001')).toEqual([
      expect.objectContaining({
        type: 'receipt',
        sku: 'TEE-BLK-M',
        location: 'LEJ1',
        toStatus: 'SELLABLE',
        quantity: 24,
        occurredAt: '2026-11-18T00:00:00.000Z',
      }),
    ]);
    expect(byRef('114-1234567-1234567')[0]).toMatchObject({
      type: 'shipment',
      fromStatus: 'SELLABLE',
      quantity: 1,
    });
    expect(byRef('114-7654321-7654321')[0]).toMatchObject({
      type: 'return',
      toStatus: 'CUSTOMER_DAMAGED',
    });
    expect(byRef('T-88812').map((e) => [e.type, e.location])).toEqual([
      ['transfer_out', 'LEJ1'],
      ['transfer_in', 'ONT8'],
    ]);
    expect(byRef('REM-2026-0042')[0]).toMatchObject({
      type: 'shipment',
      fromStatus: 'CUSTOMER_DAMAGED',
      quantity: 3,
    });
    expect(events.every((e) => e.origin?.file === 'ledger-detail-view.txt')).toBe(true);
  });

  it('turns a paired adjustment into one status_change and maps reason codes', async () => {
    const { events } = await read({ ledgerReport: 'ledger-detail-view.txt' });
    const changes = events.filter((e) => e.type === 'status_change');
    expect(changes).toEqual([
      expect.objectContaining({
        sku: 'TEE-BLK-M',
        location: 'LEJ1',
        fromStatus: 'SELLABLE',
        toStatus: 'WAREHOUSE_DAMAGED',
        quantity: 2,
        reasonCode: 'DAMAGED_IN_FACILITY',
        reference: '13895071006',
      }),
    ]);
    const adjustments = events.filter((e) => e.type === 'adjustment');
    expect(
      adjustments.map((e) => [e.reasonCode, e.fromStatus ?? null, e.toStatus ?? null]),
    ).toEqual([
      ['MISPLACED', 'SELLABLE', null],
      ['FOUND', null, 'SELLABLE'],
      ['AMAZON_Q', 'DEFECTIVE', null],
    ]);
    expect(events.length).toBe(10);
    expect(new Set(events.map((e) => e.sourceEventId)).size).toBe(10);
  });

  it('reads the SP-API spelling of the same report into the same canonical events', async () => {
    const download = await read({ ledgerReport: 'ledger-detail-view.txt' });
    const api = await read({ ledgerReport: 'ledger-detail-view-api.txt' });
    const strip = (es: typeof api.events) => es.map(({ origin: _o, ...e }) => e);
    expect(strip(api.events)).toEqual(strip(download.events));
  });

  it('maps fulfilment centres and stops at asOf', async () => {
    const { events } = await read(
      { ledgerReport: 'ledger-detail-view.txt', fulfillmentCenterMap: { LEJ1: 'FBA-US-EAST' } },
      '2026-11-19T23:59:59.999Z',
    );
    expect(events.every((e) => e.occurredAt <= '2026-11-19T23:59:59.999Z')).toBe(true);
    expect(new Set(events.map((e) => e.location))).toEqual(new Set(['FBA-US-EAST', 'ONT8']));
  });

  it('rejects malformed rows with line and reason', async () => {
    const { events, rejects, result } = await read({ ledgerReport: 'ledger-detail-malformed.txt' });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'Date: expected MM/DD/YYYY, YYYY-MM-DD or an ISO date-time, got "2026/11/18"'],
      [4, 'Date: expected MM/DD/YYYY, YYYY-MM-DD or an ISO date-time, got "02/30/2026"'],
      [5, 'Quantity: expected a non-zero whole number, got "0"'],
      [6, 'Quantity: expected a non-zero whole number, got "two"'],
      [7, expect.stringContaining('Event Type "Teleport" is not one of')],
      [8, 'MSKU is empty'],
      [9, 'expected 14 tab-separated fields, found 9'],
    ]);
    expect(events.length).toBe(1);
    expect(result.files[0]).toMatchObject({ read: 8, accepted: 1, rejected: 7 });
  });
});

describe('amazon settings and reasons', () => {
  it('returns every settings problem', () => {
    const problems = amazonFbaConnector.checkSettings(
      source({
        networkLocation: '',
        inventoryAsOf: 'yesterday',
        fulfillmentCenterMap: { LEJ1: 3 },
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining('set inventoryReport, ledgerReport or both'),
      expect.stringContaining('networkLocation'),
      expect.stringContaining('inventoryAsOf'),
      expect.stringContaining('fulfillmentCenterMap.LEJ1'),
    ]);
  });

  it('maps every documented adjustment code', () => {
    const mapped = Object.fromEntries(
      ['1', '2', 'J', '3', '4', '5', '6', '7', 'D', 'E', 'F', 'H', 'K', 'M', 'P'].map((c) => [
        c,
        tallyReason(c),
      ]),
    );
    expect(mapped).toEqual({
      '1': 'SOFTWARE_CORRECTION',
      '2': 'SOFTWARE_CORRECTION',
      J: 'SOFTWARE_CORRECTION',
      '3': 'PRODUCT_REDEFINITION',
      '4': 'PRODUCT_REDEFINITION',
      '5': 'UNRECOVERABLE',
      '6': 'DAMAGED_IN_TRANSIT',
      '7': 'EXPIRED',
      D: 'DESTROYED',
      E: 'DAMAGED_IN_FACILITY',
      F: 'FOUND',
      H: 'CUSTOMER_DAMAGED',
      K: 'DEFECTIVE',
      M: 'MISPLACED',
      P: 'STATUS_CHANGE',
    });
  });
});

describe('amazon streaming', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-amazon-'));
    await copyFile(join(FIXTURES, 'ledger-detail-view.txt'), join(dir, 'ledger.txt'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads absolute paths outside the data folder', async () => {
    const { events } = await read({ ledgerReport: join(dir, 'ledger.txt') });
    expect(events.length).toBe(10);
  });
});

describe('amazon reports in a legacy encoding', () => {
  // an amazon.es inventory report as Amazon writes it there: Windows-1252 bytes, CRLF lines
  const report = {
    inventoryReport: 'fba-myi-windows-1252.txt',
    inventoryAsOf: '2026-11-20T06:00:00Z',
  };

  it('reads them whole with settings.encoding: windows-1252, accents and all', async () => {
    const { positions, rejects, result } = await read({ ...report, encoding: 'windows-1252' });
    expect(rejects).toEqual([]);
    expect([...new Set(positions.map((p) => p.sku))]).toEqual([
      'CAFÉ-MOLIDO-250',
      'CHAMPU-ANTICASPA',
      'TEE-BLK-M',
    ]);
    const cafe = positions.find(
      (p) => p.sku === 'CAFÉ-MOLIDO-250' && p.status === 'afn-fulfillable-quantity',
    );
    expect(cafe?.quantity).toBe(36);
    expect(result.files[0]).toMatchObject({ read: 3, accepted: 3, rejected: 0 });
  });

  it('read as UTF-8, refuses each line whose bytes are not, naming the setting, and keeps the rest', async () => {
    const { positions, rejects, result } = await read(report);
    expect(rejects.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(rejects[0]!.reason).toMatch(
      /^bytes that are not UTF-8; .*set the source's settings\.encoding$/,
    );
    // each refused row's key is left incomplete, its sku read as such bytes most likely are
    expect(rejects.map((r) => r.sku)).toEqual(['CAFÉ-MOLIDO-250', 'CHAMPU-ANTICASPA', 'TEE-BLK-M']);
    expect(rejects[0]!.raw).toContain('Café molido natural 250 g');
    expect(positions).toEqual([]);
    expect(result.files[0]).toMatchObject({ read: 3, accepted: 0, rejected: 3 });
  });

  it('reads the ledger report likewise: an accented MSKU is booked as written', async () => {
    const ledger = {
      ledgerReport: 'ledger-detail-windows-1252.txt',
      fulfillmentCenterMap: { MAD4: 'FBA-ES' },
    };
    const right = await read({ ...ledger, encoding: 'windows-1252' });
    expect(right.rejects).toEqual([]);
    expect(right.events.map((e) => [e.sku, e.type, e.quantity])).toEqual([
      ['CAFÉ-MOLIDO-250', 'receipt', 24],
      ['CAFÉ-MOLIDO-250', 'shipment', 2],
    ]);
    const wrong = await read(ledger);
    expect(wrong.events).toEqual([]);
    // refused, each names its key as the MSKU most likely reads: that key is incomplete
    expect(wrong.rejects.map((r) => [r.line, r.sku, r.location])).toEqual([
      [2, 'CAFÉ-MOLIDO-250', 'FBA-ES'],
      [3, 'CAFÉ-MOLIDO-250', 'FBA-ES'],
    ]);
  });

  it("reads Windows-1252's own characters (’ – €), not the control characters Latin-1 has there", async () => {
    // a seller sku with a typographic apostrophe and an en dash, as Excel or Seller Central writes them
    const dir = await mkdtemp(join(tmpdir(), 'tally-fba-1252-'));
    const head =
      'sku\tfnsku\tasin\tproduct-name\tcondition\tafn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\r\n';
    const row = Buffer.concat([
      Buffer.from('MEN'),
      Buffer.from([0x92]), // ’
      Buffer.from('S-TEE'),
      Buffer.from([0x96]), // –
      Buffer.from('M\tX00MENS001\tB0MENS0001\tCamiseta 12 '),
      Buffer.from([0x80]), // €
      Buffer.from('\tNew\t5\t0\t1\r\n'),
    ]);
    await writeFile(join(dir, 'myi.txt'), Buffer.concat([Buffer.from(head), row]));
    const c = collect();
    await amazonFbaConnector.read(
      {
        source: source({
          inventoryReport: 'myi.txt',
          inventoryAsOf: '2026-11-20T06:00:00Z',
          encoding: 'windows-1252',
        }),
        dataDir: dir,
      },
      c.sink,
    );
    expect(c.rejects).toEqual([]);
    expect([...new Set(c.positions.map((p) => p.sku))]).toEqual(['MEN\u2019S-TEE\u2013M']);
    await rm(dir, { recursive: true, force: true });
  });

  it('the same file hashes the same whatever the encoding it is read in', async () => {
    const a = await read({ ...report, encoding: 'windows-1252' });
    const b = await read(report);
    expect(a.result.files[0]!.sha256).toBe(b.result.files[0]!.sha256);
  });

  it('refuses an encoding it does not know, in the settings check', () => {
    expect(amazonFbaConnector.checkSettings(source({ ...report, encoding: 'ebcdic' }))).toEqual([
      expect.stringMatching(
        /settings\.encoding: expected one of utf-8, windows-1252, iso-8859-1, shift_jis$/,
      ),
    ]);
  });
});

describe('tally init on an amazon report in Windows-1252', () => {
  it('proposes settings.encoding: windows-1252, and the proposed source reads it whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-fba-init-'));
    try {
      await copyFile(
        join(FIXTURES, 'fba-myi-windows-1252.txt'),
        join(dir, 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-11-20.txt'),
      );
      const { plan, files } = await proposeRules(dir, {
        timezone: 'UTC',
        canRead: () => true,
      });
      expect(files['sources.yaml']).toMatch(/encoding: windows-1252/);
      expect(plan.report.decide).toContainEqual(
        expect.stringMatching(/not UTF-8; read as windows-1252/),
      );
      const settings = plan.sources.find((s) => s.connector === 'amazon-fba')!.settings!;
      const c = collect();
      await amazonFbaConnector.read({ source: source(settings), dataDir: dir }, c.sink);
      expect(c.rejects).toEqual([]);
      expect(c.positions.some((p) => p.sku === 'CAFÉ-MOLIDO-250')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
