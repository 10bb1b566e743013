/**
 * Issue 11: a declared file must resolve inside --data. The rules validator refuses `..` and
 * absolute paths (engine/core/rules/invalid.test.ts, path-outside-data); this is the runtime
 * half: hand-built paths and symbolic links that lead out of the folder are refused, per file.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvConnector } from '../../connectors/csv/index.ts';
import { WMS_INVENTORY, recordingSink, source, tempDataDir, writeData } from './helpers.ts';

const CONTENT = 'Item,Bin,Status,Qty,UOM,SnapshotTime\nSKU-1,B,AVAILABLE,1,EA,2026-11-21 18:00\n';

async function readAt(dataDir: string, path: string) {
  const sink = recordingSink();
  const result = await csvConnector.read(
    { source: source({ files: [{ ...WMS_INVENTORY, path }] }), dataDir },
    sink,
  );
  return { sink, summary: result.files[0]! };
}

describe('a file path that leads out of the data folder', () => {
  it('../ is refused before a byte is read', async () => {
    const root = tempDataDir();
    writeData(root, 'secret.csv', CONTENT);
    mkdirSync(join(root, 'data'));
    const { sink, summary } = await readAt(join(root, 'data'), '../secret.csv');
    expect(summary).toMatchObject({ read: 0, failed: { code: 'PATH_OUTSIDE_DATA' } });
    expect(summary.failed!.message).toMatch(/leads out of the data folder/);
    expect(sink.order).toEqual([]);
  });

  it('an absolute path is refused', async () => {
    const root = tempDataDir();
    writeData(root, 'secret.csv', CONTENT);
    const { summary } = await readAt(tempDataDir(), join(root, 'secret.csv'));
    expect(summary.failed).toMatchObject({ code: 'PATH_OUTSIDE_DATA' });
  });

  it('a symbolic link in the folder to a file outside it is refused', async () => {
    const root = tempDataDir();
    writeData(root, 'secret.csv', CONTENT);
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'wms-east'), { recursive: true });
    symlinkSync(join(root, 'secret.csv'), join(dataDir, 'wms-east', 'inventory.csv'));
    const { sink, summary } = await readAt(dataDir, 'wms-east/inventory.csv');
    expect(summary.failed).toMatchObject({ code: 'PATH_OUTSIDE_DATA' });
    expect(summary.failed!.message).toMatch(/is a link to .*secret\.csv, outside the data folder/);
    expect(sink.order).toEqual([]);
  });

  it('a linked folder that leads outside is refused too', async () => {
    const root = tempDataDir();
    writeData(root, 'elsewhere/inventory.csv', CONTENT);
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    symlinkSync(join(root, 'elsewhere'), join(dataDir, 'wms-east'));
    const { summary } = await readAt(dataDir, 'wms-east/inventory.csv');
    expect(summary.failed).toMatchObject({ code: 'PATH_OUTSIDE_DATA' });
  });

  it('a link that stays inside the folder is followed', async () => {
    const dataDir = tempDataDir();
    writeData(dataDir, 'exports/2026-11-21/inventory.csv', CONTENT);
    mkdirSync(join(dataDir, 'wms-east'));
    symlinkSync(
      join(dataDir, 'exports/2026-11-21/inventory.csv'),
      join(dataDir, 'wms-east', 'inventory.csv'),
    );
    const { summary } = await readAt(dataDir, 'wms-east/inventory.csv');
    expect(summary).toMatchObject({ read: 1, accepted: 1 });
    expect(summary.failed).toBeUndefined();
  });

  it('a data folder that is itself a link is fine', async () => {
    const real = tempDataDir();
    writeData(real, 'wms-east/inventory.csv', CONTENT);
    const root = tempDataDir();
    symlinkSync(real, join(root, 'data'));
    writeFileSync(join(root, 'note'), '');
    const { summary } = await readAt(join(root, 'data'), 'wms-east/inventory.csv');
    expect(summary).toMatchObject({ read: 1, accepted: 1 });
  });
});
