/** `tally init` on the retailer fixture: recognizes every system, writes rules that validate and run. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/tally.mjs', import.meta.url).pathname;
const FIXTURE = new URL('../fixtures/retailer/data', import.meta.url).pathname;
const tally = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
/** `tally run` over a data folder with its rules as of `asOf`, not saved, its result as JSON. */
const runJson = (data: string, rules: string, asOf = '2026-11-21T23:00:00Z') =>
  tally(
    'run',
    '--data',
    data,
    '--rules',
    rules,
    '--as-of',
    asOf,
    '--no-persist',
    '--format',
    'json',
  );

function copyOfFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-retailer-'));
  cpSync(FIXTURE, path.join(dir, 'data'), { recursive: true });
  return dir;
}

describe('tally init', () => {
  it(
    'recognizes each system of the retailer and writes rules that validate',
    { timeout: 60_000 },
    () => {
      const dir = copyOfFixture();
      const out = path.join(dir, 'rules');
      const r = tally(
        'init',
        '--data',
        path.join(dir, 'data'),
        '--out',
        out,
        '--timezone',
        'America/Chicago',
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const line of [
        'erpnext/Stock Ledger Entry.csv: ERPNext Stock Ledger Entry (CSV) → source erpnext',
        'erpnext/Bin.csv: ERPNext Bin (CSV) → source erpnext',
        'erpnext/Item.csv: ERPNext Item (CSV) → source erpnext',
        'wms/movements_2026-11-16_2026-11-22.csv: stock movements (delimited, header mapped) → source wms',
        '3pl-reno/947_20261121_ADJ-7741.edi: X12 EDI → source 3pl-reno',
        'amazon/GET_LEDGER_DETAIL_VIEW_DATA_2026-11-16_2026-11-22.txt: Amazon FBA ledger detail report → source amazon',
        'shopify/inventory_levels_2026-11-23T0400Z.json: Shopify Admin GraphQL pages (saved) → source shopify',
      ])
        expect(r.stdout).toContain(line);
      expect(r.stdout).toMatch(
        /posting lag wms → erpnext: \d+ min \(p95 of \d+ paired movements\)/,
      );
      expect(r.stdout).toMatch(/in-transit window DC1 → RNO1: \d+ h/);
      expect(r.stdout).toContain('wms: status "RTV" is not a word Tally knows');
      expect(r.stdout).toContain('The rules validate.');
      // the month-end journal's accounts: ERPNext's defaults for the company its warehouses name
      const accounts = readFileSync(path.join(out, 'accounts.yaml'), 'utf8');
      expect(accounts).toMatch(/^inventoryAssetAccount: 'Stock In Hand - HP'$/m);
      expect(accounts).toMatch(/^defaultAdjustmentAccount: 'Stock Adjustment - HP'$/m);
      expect(r.stdout).toContain("accounts.yaml: ERPNext's default stock accounts");
      const statusMaps = readFileSync(path.join(out, 'status-maps.yaml'), 'utf8');
      expect(statusMaps).toMatch(/RTV: non_sellable # TODO/);
      // case packs are read from the item master per item, not written out per SKU
      const units = readFileSync(path.join(out, 'units.yaml'), 'utf8');
      expect(units).toContain('skus: {}');
      expect(units).toContain('CS: case');
      const sources = readFileSync(path.join(out, 'sources.yaml'), 'utf8');
      expect(sources).toMatch(/itemPacks:\n {8}case: custom_case_pack/);
      const mappings = readFileSync(path.join(out, 'mappings.yaml'), 'utf8');
      expect(mappings).toContain('Reno 3PL - HP: RNO1');
      expect(mappings).toContain('{ id: A-01-01, level: bin, type: bin, parent: DC1 }');
      // Amazon's order ids never equal the ERP's invoice numbers: pair by proximity, said why
      expect(mappings).toMatch(
        /# amazon names a movement by its own order[^\n]*\n(?: {2}#[^\n]*\n)+ {2}- sources: \[amazon, erpnext\]\n {4}proximity: true\n/,
      );
      expect(r.stdout).toMatch(
        /posting lag amazon → erpnext: 2160 min \(p95 of 6 movements paired/,
      );
      const timing = readFileSync(path.join(out, 'timing-windows.yaml'), 'utf8');
      expect(timing).toContain('{ from: amazon, to: erpnext, minutes: 2160 }');
    },
  );

  it(
    'refuses a non-empty --out without --force, and replaces its files with it',
    { timeout: 60_000 },
    () => {
      const dir = copyOfFixture();
      const out = path.join(dir, 'rules');
      const args = ['init', '--data', path.join(dir, 'data'), '--out', out, '--timezone', 'UTC'];
      expect(tally(...args).status).toBe(0);
      const again = tally(...args);
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/is not empty.*--force.*\[OUT_NOT_EMPTY\]/s);
      expect(tally(...args, '--force').status).toBe(0);
      expect(readdirSync(out).sort()).toEqual([
        'accounts.yaml',
        'classification.yaml',
        'mappings.yaml',
        'owners.yaml',
        'roles.yaml',
        'sources.yaml',
        'status-maps.yaml',
        'timing-windows.yaml',
        'tolerances.yaml',
        'units.yaml',
      ]);
    },
  );

  it(
    'runs as written: every row of every file it configured is accounted for',
    { timeout: 120_000 },
    () => {
      const dir = copyOfFixture();
      const out = path.join(dir, 'rules');
      expect(
        tally(
          'init',
          '--data',
          path.join(dir, 'data'),
          '--out',
          out,
          '--timezone',
          'America/Chicago',
        ).status,
      ).toBe(0);
      const r = runJson(path.join(dir, 'data'), out, '2026-11-23T05:00:00Z');
      expect(r.status).toBe(0);
      const run = JSON.parse(r.stdout) as {
        inputs: { read: number; accepted: number; rejected: number; skipped?: number }[];
      };
      expect(run.inputs).toHaveLength(23);
      for (const f of run.inputs) expect(f.accepted + f.rejected + (f.skipped ?? 0)).toBe(f.read);
    },
  );
});

describe('tally init on a German report export, its rules written inside the data folder', () => {
  it(
    'proposes what reads it, validates, reads none of its own rules the second time, and runs',
    { timeout: 60_000 },
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tally-eu-'));
      mkdirSync(path.join(dir, 'lager'));
      // Excel for Mac's "CSV (Macintosh)" of a report: a title, a date line, then the header;
      // Windows-1252, semicolons, 1.270 for 1270, 21.11.2026 18:00, a row counted in cases
      const lines = [
        'Bestandsliste Lager Ost',
        'Erstellt: 21.11.2026',
        'sku;bin;warehouse;status;qty;uom;snapshot_at',
        'KAFFEE-GRÜN;WH-EAST-A-01;WH-EAST;AVAILABLE;1.270;EA;21.11.2026 18:00',
        'KAFFEE-GRÜN;WH-EAST-A-01;WH-EAST;DAMAGED;3;EA;21.11.2026 18:00',
        'TEE-SCHWARZ;WH-EAST-A-02;WH-EAST;AVAILABLE;12;CS;21.11.2026 18:00',
        'TEE-SCHWARZ;WH-EAST-A-02;WH-EAST;AVAILABLE;40;EA;21.11.2026 18:00',
      ];
      writeFileSync(path.join(dir, 'lager/bestand.csv'), Buffer.from(lines.join('\r'), 'latin1'));
      const init = () =>
        tally(
          'init',
          '--data',
          dir,
          '--out',
          path.join(dir, 'rules'),
          '--timezone',
          'Europe/Berlin',
          '--force',
        );
      const first = init();
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toContain(
        'lager/bestand.csv: stock positions (delimited, header mapped)',
      );
      expect(first.stdout).toContain('unit CS: how many each is one case?');
      expect(first.stdout).toContain('The rules validate.');
      const sources = readFileSync(path.join(dir, 'rules/sources.yaml'), 'utf8');
      for (const setting of [
        /delimiter: ;/,
        /headerLine: 3/,
        /numberFormat: 1\.234,5/,
        /encoding: windows-1252/,
        /dateFormat: dd\.MM\.yyyy HH:mm/,
      ])
        expect(sources).toMatch(setting);
      const second = init();
      expect(second.status).toBe(0);
      expect(second.stdout).not.toMatch(/rules\/\S+\.yaml: not read/);
      const run = runJson(dir, path.join(dir, 'rules'));
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as {
        inputs: { path: string; read: number; accepted: number }[];
        findings: { code: string; sku?: string }[];
      };
      expect(result.inputs[0]).toMatchObject({ path: 'lager/bestand.csv', read: 4, accepted: 3 });
      // the row in cases is kept out, named, until the case size is given
      expect(result.findings.map((f) => [f.code, f.sku])).toEqual([
        ['UNKNOWN_UNIT', 'TEE-SCHWARZ'],
      ]);
    },
  );
});

describe('tally init on an SAP movement list and a WMS stock list, each in a folder of its own', () => {
  it(
    'declares the warehouse they name, chooses its book, reads the signs, validates and runs',
    { timeout: 60_000 },
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tally-sap-'));
      mkdirSync(path.join(dir, 'sap'));
      mkdirSync(path.join(dir, 'wms'));
      // MB51 downloaded as a local file: German numbers, a goods issue written 3-
      const mb51 = [
        'Materialbeleg;Bewegungsart;Material;Lagerort;Menge in ErfassME;ErfassME;Buchungsdatum',
        '4900000101;101;SKU-1;WH-EAST;1.032,000;EA;20.11.2026',
        '4900000102;601;SKU-1;WH-EAST;3-;EA;21.11.2026',
        '4900000103;601;SKU-2;WH-EAST;5-;EA;21.11.2026',
      ];
      writeFileSync(path.join(dir, 'sap/mb51.csv'), mb51.join('\r\n'));
      const stock = [
        'sku,location,status,qty,snapshot_at',
        'SKU-1,WH-EAST,available,1029,2026-11-21T18:00:00Z',
      ];
      writeFileSync(path.join(dir, 'wms/onhand.csv'), stock.join('\n'));
      const rules = path.join(dir, 'rules');
      const init = tally('init', '--data', dir, '--out', rules, '--timezone', 'Europe/Berlin');
      expect(init.stderr).toBe('');
      expect(init.status).toBe(0);
      // the rules it wrote failed validation before: no location declared, two books
      expect(init.stdout).toContain('The rules validate.');
      expect(init.stdout).toMatch(/WH-EAST: sap and wms both keep its physical movements; sap/);
      const sources = readFileSync(path.join(rules, 'sources.yaml'), 'utf8');
      expect(sources).toMatch(/location: WH-EAST, domain: physical_movements, source: sap/);
      expect(sources).toMatch(/numberFormat: 1\.234,5-/);
      expect(sources).toMatch(/signedQuantity: stock/);
      const mappings = readFileSync(path.join(rules, 'mappings.yaml'), 'utf8');
      expect(mappings).toMatch(/- \{ id: WH-EAST, level: warehouse, type: own_warehouse \}/);
      const run = runJson(dir, rules);
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as {
        inputs: { path: string; read: number; accepted: number; rejected: number }[];
        findings: unknown[];
      };
      expect(result.inputs.map((f) => [f.path, f.read, f.accepted, f.rejected]).sort()).toEqual([
        ['sap/mb51.csv', 3, 3, 0],
        ['wms/onhand.csv', 1, 1, 0],
      ]);
      expect(result.findings).toEqual([]);
    },
  );
});
