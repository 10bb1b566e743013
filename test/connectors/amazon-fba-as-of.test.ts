/** Where an FBA inventory report's as-of comes from: never silently from the file's mtime. */
import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amazonFbaConnector } from '../../connectors/amazon-fba/index.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { collect } from '../support/collect-sink.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/amazon');
const MYI = 'fba-myi-unsuppressed-inventory.txt';
let dir: string;

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

async function read(dataDir: string, settings: Record<string, unknown>) {
  const c = collect();
  const result = await amazonFbaConnector.read({ source: source(settings), dataDir }, c.sink);
  return { ...c, file: result.files[0]! };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-fba-asof-'));
  await copyFile(
    join(FIXTURES, MYI),
    join(dir, 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-11-20.txt'),
  );
  await copyFile(join(FIXTURES, MYI), join(dir, 'myi.txt'));
  const copied = new Date('2026-12-01T09:00:00Z');
  await utimes(join(dir, 'myi.txt'), copied, copied);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('FBA inventory report as-of', () => {
  it('takes each row’s day from a snapshot-date column and rejects a row whose day is not one', async () => {
    const { positions, rejects, file } = await read(FIXTURES, {
      inventoryReport: 'fba-myi-with-snapshot-date.txt',
    });
    const asOfBySku = Object.fromEntries(positions.map((p) => [p.sku, p.asOf]));
    expect(asOfBySku).toEqual({
      'TEE-BLK-M': '2026-11-20T00:00:00.000Z',
      'TEE-BLK-L': '2026-11-21T00:00:00.000Z',
    });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [
        4,
        'snapshot-date: expected a date (YYYY-MM-DD, MM/DD/YYYY or ISO date-time), got "11/31/2026"',
      ],
    ]);
    // the merchant-fulfilled row has no date and needs none: it holds nothing at Amazon
    expect(file).toMatchObject({ read: 4, accepted: 2, rejected: 1 });
    expect(file.notes).toBeUndefined();
  });

  it('takes the day from the file name when there is no column', async () => {
    const { positions, file } = await read(dir, {
      inventoryReport: 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-11-20.txt',
    });
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-11-20T00:00:00.000Z']));
    expect(file.notes).toBeUndefined();
  });

  it('lets the inventoryAsOf setting win over the file name', async () => {
    const { positions } = await read(dir, {
      inventoryReport: 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-11-20.txt',
      inventoryAsOf: '2026-11-20T06:00:00Z',
    });
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-11-20T06:00:00.000Z']));
  });

  it('falls back to the modification time only with a note that says so', async () => {
    const { positions, file } = await read(dir, { inventoryReport: 'myi.txt' });
    expect(new Set(positions.map((p) => p.asOf))).toEqual(new Set(['2026-12-01T09:00:00.000Z']));
    expect(file.notes).toEqual([
      expect.stringContaining("taken from the file's modification time"),
    ]);
    expect(file.notes![0]).toContain('set inventoryAsOf');
  });

  it('insists on a named inventoryAsOfColumn', async () => {
    await expect(
      read(FIXTURES, { inventoryReport: MYI, inventoryAsOfColumn: 'report-date' }),
    ).rejects.toThrow(/missing column\(s\) report-date/);
  });
});
