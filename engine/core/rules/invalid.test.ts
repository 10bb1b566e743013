/**
 * One fixture per class of mistake (test/fixtures/rules-invalid/<case>/ laid over _base/):
 * each must produce exactly these problems, message and location included.
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuleset } from './load.ts';
import { formatProblem } from './problems.ts';

const FIXTURES = new URL('../../../test/fixtures/rules-invalid/', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function problemsOf(name: string, remove: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), `tally-rules-${name}-`));
  made.push(dir);
  cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  for (const file of remove) rmSync(path.join(dir, file));
  const { ruleset, problems } = await loadRuleset(dir, { knownConnectors: ['csv', 'jsonl'] });
  expect(ruleset).toBeNull();
  return {
    lines: problems.map((p) => formatProblem(p).replace(`${dir}/`, '').replaceAll(dir, '.')),
    codes: problems.map((p) => p.code),
  };
}

const CASES: Record<string, { codes: string[]; lines: string[]; remove?: string[] }> = {
  'yaml-syntax': {
    codes: ['YAML_SYNTAX'],
    lines: [`owners.yaml:8:1 YAML: Missing closing 'quote`],
  },
  'yaml-duplicate-key': {
    codes: ['YAML_DUPLICATE_KEY'],
    lines: ['units.yaml:8:3 YAML: key beverage appears twice in the same mapping'],
  },
  'yaml-alias-bomb': {
    codes: ['YAML_ALIAS'],
    lines: [
      'roles.yaml:5:8 YAML: aliases (*name) are not allowed in rule files; write the value out (73 aliases in this file)',
    ],
  },
  'yaml-tag': {
    codes: ['YAML_TAG'],
    lines: ['tolerances.yaml:5:29 YAML: tags (!!js/function) are not allowed in rule files'],
  },
  'yaml-multiple-documents': {
    codes: ['YAML_MULTIPLE_DOCUMENTS'],
    lines: [
      'timing-windows.yaml:7:1 YAML: a rule file holds one document; put what follows this "---" in a file of its own',
    ],
  },
  'unknown-kind': {
    codes: ['UNKNOWN_KIND'],
    lines: [
      'extra.yaml:2:7 unknown kind "Receivers" (expected one of Sources, StatusMap, Units, Mappings, Tolerances, TimingWindows, ClassificationRules, Owners, Roles, Accounts)',
    ],
  },
  'unknown-api-version': {
    codes: ['UNKNOWN_API_VERSION'],
    lines: ['roles.yaml:1:13 apiVersion must be "tally/v1", not "tally/v2"'],
  },
  'duplicate-kind': {
    codes: ['DUPLICATE_KIND'],
    lines: [
      'units.yaml:2:7 Units: only one Units file is allowed; ./units-more.yaml already is one',
    ],
  },
  'missing-kind': {
    remove: ['roles.yaml'],
    codes: ['MISSING_KIND'],
    lines: ['.:1:1 no Roles file (every ruleset needs one, with "kind: Roles")'],
  },
  'schema-enum': {
    codes: ['SCHEMA'],
    lines: [
      'status-maps.yaml:6:14 StatusMap wms.DAMAGED: unknown bucket "damagd" (expected one of sellable, committed, non_sellable, in_transit, ignore)',
    ],
  },
  'schema-shape': {
    codes: ['SCHEMA', 'SCHEMA', 'SCHEMA', 'SCHEMA', 'SCHEMA'],
    lines: [
      'sources.yaml:7:5 Sources wms: missing required field "group"',
      'sources.yaml:9:11 Sources wms.role: unknown system role "warehouse" (expected one of erp, wms, ecommerce, marketplace, pos, 3pl, carrier)',
      'sources.yaml:12:13 Sources wms.cutoff: "25:00" is not a valid time of day (HH:MM) (must match ^([01][0-9]|2[0-3]):[0-5][0-9]$)',
      'sources.yaml:14:16 Sources wms.locations: must be a list, not string "WH-1"',
      'sources.yaml:15:5 Sources wms.groop: unknown field "groop" (allowed: id, connector, role, owner, timezone, cutoff, expectedLagMinutes, systemOfRecord, locations, group, files, settings)',
    ],
  },
  'duplicate-name': {
    codes: ['DUPLICATE_NAME'],
    lines: [
      'classification.yaml:11:11 ClassificationRules within-tolerance.name: rule "within-tolerance" is declared twice (first in ./classification.yaml)',
    ],
  },
  'missing-status-map': {
    codes: ['MISSING_STATUS_MAP', 'UNKNOWN_SOURCE'],
    lines: [
      'sources.yaml:7:9 Sources wms.id: source "wms" has no status map (add statusMaps.wms to a StatusMap file)',
      'status-maps.yaml:4:3 StatusMap wms-east: status map for unknown source "wms-east" (sources: wms)',
    ],
  },
  'unknown-source': {
    codes: ['UNKNOWN_SOURCE'],
    lines: [
      'timing-windows.yaml:8:24 TimingWindows postingLag.pairs[0].to: unknown source "erp" (sources: wms)',
    ],
  },
  'book-conflict': {
    codes: ['BOOK_CONFLICT'],
    lines: [
      'sources.yaml:19:21 Sources erp.systemOfRecord: "wms" and "erp" are both the system of record for physical_movements at "WH-1" (name the one book in systemsOfRecord)',
    ],
  },
  'book-entry-twice': {
    codes: ['BOOK_CONFLICT'],
    lines: [
      'sources.yaml:6:17 Sources systemsOfRecord[2].location: physical_movements at "WH-1" already has a system of record ("wms")',
    ],
  },
  'accounts-unknown-reason': {
    codes: ['UNKNOWN_REASON_CODE'],
    lines: [
      'accounts.yaml:7:3 Accounts PHYSICAL_CNT: unknown reason code "PHYSICAL_CNT" (the catalogue: PHYSICAL_COUNT, DAMAGED_IN_FACILITY, DAMAGED_IN_TRANSIT, CONDITION_CHANGE, PUT_ON_HOLD, TAKEN_OFF_HOLD, DESTROYED, RECEIPT_SHORT, SHIPMENT_SHORT, BOOK_ADJUSTMENT_INCREASE, ACCOUNTING_ERROR, RECEIPT_ERROR, … (31 in all))',
    ],
  },
  'accounts-currency': {
    codes: ['BAD_VALUE'],
    lines: [
      'accounts.yaml:3:11 Accounts currency: "XYZ" is not an ISO 4217 currency code (e.g. USD, EUR, JPY)',
    ],
  },
  'accounts-missing': {
    codes: ['MISSING_ACCOUNT'],
    lines: [
      'accounts.yaml:4:1 Accounts: no adjustment account for reason codes DAMAGED_IN_FACILITY, DAMAGED_IN_TRANSIT, CONDITION_CHANGE, PUT_ON_HOLD, TAKEN_OFF_HOLD, DESTROYED, RECEIPT_SHORT, SHIPMENT_SHORT, BOOK_ADJUSTMENT_INCREASE, ACCOUNTING_ERROR, RECEIPT_ERROR, SHIPMENT_ERROR, … (29 in all): list each under adjustmentAccounts or set defaultAdjustmentAccount',
    ],
  },
  'book-gap': {
    codes: ['BOOK_GAP'],
    lines: [
      'sources.yaml:22:23 Sources erp.locations[1]: no system of record for physical_movements at "WH-2" (add it to systemsOfRecord, here or at a parent location)',
    ],
  },
  'pilot-no-report': {
    codes: ['PILOT_NO_REPORT'],
    lines: [
      'sources.yaml:6:12 Sources schedules[0].pilot: in pilot mode, but Owners has no pilot.reportChannel for the daily pilot report',
    ],
  },
  'digest-schedule': {
    codes: ['BAD_VALUE', 'BAD_VALUE'],
    lines: [
      'owners.yaml:10:9 Owners digest.cron: invalid cron expression "every morning"',
      'owners.yaml:11:13 Owners digest.timezone: unknown time zone "Mars/Olympus"',
    ],
  },
  'pilot-owner-channel': {
    codes: ['PILOT_OWNER_CHANNEL'],
    lines: [
      `owners.yaml:9:18 Owners pilot.reportChannel: report channel #ops is receiver "ops"'s channel: a pilot must not post where owners read; use a channel of its own`,
    ],
  },
  'book-not-covering': {
    codes: ['BAD_VALUE', 'UNKNOWN_LOCATION', 'UNKNOWN_SOURCE'],
    lines: [
      'sources.yaml:5:59 Sources systemsOfRecord[1].source: "wms" does not report on "WH-2" (its locations: WH-1)',
      'sources.yaml:6:17 Sources systemsOfRecord[2].location: unknown location "WH-3" (not declared in the Mappings locations)',
      'sources.yaml:7:59 Sources systemsOfRecord[3].source: unknown source "ledger" (sources: wms, erp)',
    ],
  },
  'combine-one-limit': {
    codes: ['BAD_VALUE'],
    lines: [
      'tolerances.yaml:8:14 Tolerances sku-noise.combine: combine: larger chooses between absolute and percent; give both',
    ],
  },
  'crosswalk-bad': {
    codes: ['UNKNOWN_SOURCE', 'BAD_VALUE'],
    lines: [
      'mappings.yaml:11:20 Mappings referenceCrosswalk[0].sources[1]: unknown source "erp" (sources: wms)',
      'mappings.yaml:13:17 Mappings referenceCrosswalk[0].patterns[0].from: "CC-(\\d+" is not a regular expression RE2 can run (Invalid regular expression: /^(?:CC-(\\d+)$/u: missing ): ^(?:CC-(\\d+)$); RE2 has no backreferences or lookaround',
    ],
  },
  'location-file-rows': {
    codes: [
      'UNKNOWN_LOCATION',
      'DUPLICATE_NAME',
      'CODE_CONFLICT',
      'CODE_CONFLICT',
      'BAD_VALUE',
      'BAD_VALUE',
      'DUPLICATE_NAME',
      'LOCATION_LEVEL',
    ],
    lines: [
      'bins.csv:4:1 code "01-01-03" → WH-1-01-01-03: parent "WH-9" is not a declared location',
      'bins.csv:5:1 code "01-01-01" → WH-1-01-01-09: wms code "01-01-01" is mapped to WH-1-01-01-01 at line 2; a code goes to one place',
      'bins.csv:6:1 code "W1" → WH-1-W1: locationCodes (./mappings.yaml:10) maps it to WH-1; locationCodes is tried first and would win — keep one',
      'bins.csv:7:1 code "B2-07" → WH-1-B2-07: locationPatterns "B2-*" (./mappings.yaml:12) sends it to WH-2; the file\'s exact code is tried first and would win — map it at or under WH-2, or drop the row',
      'bins.csv:8:1 row: the code is empty',
      'bins.csv:9:1 row: 3 cells where the header has 4',
      'bins.csv:12:1 code "01-01-05" → WH-1-01-01-02: declared as level bin, type bin, parent WH-2 here, as level bin, type bin, parent WH-1 at line 3',
      'bins.csv:13:1 code "01-01-06" → WH-1-01-01-06: a bin cannot sit under "WH-1-01-01-02" (bin): levels go site → warehouse → zone → bin',
    ],
  },
  'location-file-path': {
    codes: [
      'FILE_UNREADABLE',
      'FILE_UNREADABLE',
      'FILE_UNREADABLE',
      'MISSING_COLUMN',
      'BAD_VALUE',
      'UNKNOWN_SOURCE',
      'BAD_VALUE',
      'UNKNOWN_SOURCE',
      'BAD_VALUE',
    ],
    lines: [
      'mappings.yaml:8:13 Mappings locationFiles[0].path: cannot read ../outside.csv: the path leads out of the rules folder',
      'mappings.yaml:9:13 Mappings locationFiles[1].path: cannot read /etc/passwd: the path is absolute',
      'mappings.yaml:10:13 Mappings locationFiles[2].path: cannot read exports/missing.csv: no such file in the rules folder',
      'mappings.yaml:11:53 Mappings locationFiles[3].columns.code: bins.tsv has no column "Storage Bin" (its header: Bin, Warehouse)',
      'mappings.yaml:12:40 Mappings locationFiles[4].columns.code: a code column needs the `source` whose codes they are',
      'mappings.yaml:13:31 Mappings locationFiles[5].source: unknown source "erp" (sources: wms)',
      'mappings.yaml:13:45 Mappings locationFiles[5].columns: give a `code` column (codes of a source), a `parent` column (locations of the hierarchy), or both',
      'mappings.yaml:14:31 Mappings locationFiles[6].source: unknown source "erp" (sources: wms)',
      'mappings.yaml:15:43 Mappings locationFiles[7].level: a level is for the locations a file declares, which takes a `parent` column',
    ],
  },
  'pattern-overlap': {
    codes: ['PATTERN_OVERLAP', 'UNKNOWN_SOURCE', 'UNKNOWN_LOCATION'],
    lines: [
      'mappings.yaml:11:26 Mappings locationPatterns[2].glob: "WH1-B-*" → WH-2 overlaps "WH1-*" → WH-1 (line 9): "WH1-B-" matches both; make them disjoint or name the code in locationCodes',
      'mappings.yaml:13:15 Mappings locationPatterns[4].source: unknown source "erp" (sources: wms)',
      'mappings.yaml:13:43 Mappings locationPatterns[4].location: unknown location "WH-9" (not declared in the Mappings locations)',
    ],
  },
  'unknown-receiver': {
    codes: ['UNKNOWN_RECEIVER', 'UNKNOWN_RECEIVER'],
    lines: [
      'owners.yaml:10:17 Owners route.routes[0].receiver: unknown receiver "east-ops" (receivers: inventory)',
      'sources.yaml:10:12 Sources wms.owner: owner "ops" is not a declared receiver (owners.yaml declares inventory)',
    ],
  },
  'unknown-location': {
    codes: ['UNKNOWN_LOCATION', 'UNKNOWN_LOCATION'],
    lines: [
      'mappings.yaml:7:37 Mappings locations.Z-1.parent: parent "WH-2" of "Z-1" is not a declared location',
      'mappings.yaml:11:9 Mappings locationCodes.wms.W2: unknown location "WH-2" (not declared in the Mappings locations)',
    ],
  },
  'unknown-sku-class': {
    codes: ['UNKNOWN_SKU_CLASS'],
    lines: [
      'tolerances.yaml:7:24 Tolerances apparel-noise.match.skuClass: unknown SKU class "aparel" (units.yaml declares beverage)',
    ],
  },
  'unknown-unit': {
    codes: ['UNKNOWN_UNIT'],
    lines: ['units.yaml:4:26 Units aliases.CS: alias "CS" names unknown unit "carton"'],
  },
  'unknown-column': {
    codes: ['MISSING_COLUMN', 'UNKNOWN_COLUMN'],
    lines: [
      'sources.yaml:20:18 Sources wms.files[0].columns: a positions file needs "quantity" in columns or constants',
      'sources.yaml:20:62 Sources wms.files[0].columns.qty: unknown canonical field "qty" for a positions file (expected one of sku, location, status, quantity, unit, asOf)',
    ],
  },
  'missing-column': {
    codes: ['MISSING_COLUMN'],
    lines: [
      'sources.yaml:20:18 Sources wms.files[0].columns: an events file needs "sourceEventId", "type" in columns or constants',
    ],
  },
  'pack-unit-alone': {
    codes: ['MISSING_COLUMN'],
    lines: [
      'sources.yaml:20:18 Sources wms.files[0].columns: an items file needs "packFactor" in columns or constants',
    ],
  },
  'unknown-status': {
    codes: ['UNKNOWN_STATUS'],
    lines: [
      'sources.yaml:22:36 Sources wms.files[0].statusColumns[1]: status column "HOLD" is not in the status map of "wms"',
    ],
  },
  'unknown-connector': {
    codes: ['UNKNOWN_CONNECTOR'],
    lines: [
      'sources.yaml:8:16 Sources wms.connector: unknown connector "manhattan" (available: csv, jsonl)',
    ],
  },
  'unknown-schedule': {
    codes: ['UNKNOWN_SCHEDULE'],
    lines: [
      'sources.yaml:15:12 Sources wms.group: schedule group "hourly" is not declared (schedules: nightly)',
    ],
  },
  'location-cycle': {
    codes: ['LOCATION_CYCLE'],
    lines: [
      'mappings.yaml:7:38 Mappings locations.BIN-A.parent: the location hierarchy has a cycle: BIN-A → BIN-B → BIN-A',
    ],
  },
  'location-level': {
    codes: ['LOCATION_LEVEL'],
    lines: [
      'mappings.yaml:8:40 Mappings locations.ZONE-1.parent: "ZONE-1" (zone) cannot sit under "BIN-1" (bin): levels go site → warehouse → zone → bin',
    ],
  },
  'unit-not-whole': {
    codes: ['UNIT_NOT_WHOLE'],
    lines: [
      'units.yaml:7:41 Units classes.beverage.conversions.half-case: 1 half-case = 5.5 each does not land on a whole each; conversions must be whole numbers of the base unit',
    ],
  },
  'unknown-fact': {
    codes: ['UNKNOWN_FACT', 'UNKNOWN_FACT'],
    lines: [
      'classification.yaml:9:19 ClassificationRules pending.conditions.all[0].fact: unknown fact "unmatchedInWindw" (did you mean "unmatchedInWindow"?); the engine provides the facts listed in engine/core/facts.ts',
      'classification.yaml:10:76 ClassificationRules pending.conditions.all[1].value.fact: unknown fact "pendingTransit" (did you mean "pendingInTransit"?); the engine provides the facts listed in engine/core/facts.ts',
    ],
  },
  'fact-type': {
    codes: ['FACT_TYPE', 'FACT_TYPE', 'FACT_TYPE'],
    lines: [
      'classification.yaml:9:62 ClassificationRules typed.conditions.any[0].value: "absVariance" is a number, but it is compared with "5"',
      'classification.yaml:10:54 ClassificationRules typed.conditions.any[1].value: lessThan compares numbers, but "bucket" is a string',
      'classification.yaml:11:48 ClassificationRules typed.conditions.any[2].value: "source" is a string, but the list holds 3',
    ],
  },
  'bad-condition': {
    codes: ['BAD_CONDITION', 'BAD_CONDITION', 'BAD_CONDITION'],
    lines: [
      'classification.yaml:9:11 ClassificationRules shapes.conditions.all[0]: condition on "absVariance" needs a value',
      'classification.yaml:10:11 ClassificationRules shapes.conditions.all[1]: a condition needs exactly one of all, any, not or fact (found any and fact)',
      'classification.yaml:13:11 ClassificationRules shapes.conditions.all[2]: a condition needs exactly one of all, any, not or fact (found none)',
    ],
  },
  'bad-outcome': {
    codes: ['BAD_OUTCOME', 'BAD_OUTCOME'],
    lines: [
      'classification.yaml:10:14 ClassificationRules explained-without-code.outcome: an explained outcome needs "code"',
      'classification.yaml:10:33 ClassificationRules explained-without-code.outcome.severity: "severity" does not belong to an explained outcome (it takes code)',
    ],
  },
  'bad-matcher': {
    codes: ['BAD_MATCHER', 'BAD_MATCHER', 'BAD_MATCHER'],
    lines: [
      `owners.yaml:9:18 Owners route.routes[0].matchers[0]: unknown label "warehouse" in matcher 'warehouse="WH-1"' (labels: location, skuClass, category, source, bucket, severity, cause)`,
      `owners.yaml:9:38 Owners route.routes[0].matchers[1]: invalid regex in matcher 'location=~"WH-(1"' (RE2 syntax: no backreferences or lookaround): Invalid regular expression: /^(?:WH-(1)$/u: missing ): ^(?:WH-(1)$`,
      `owners.yaml:9:59 Owners route.routes[0].matchers[2]: cannot read matcher 'severity high' (expected label="value", label!="value", label=~"regex" or label!~"regex")`,
    ],
  },
  'no-fallback-route': {
    codes: ['NO_FALLBACK_ROUTE', 'NO_FALLBACK_ROUTE'],
    lines: [
      'owners.yaml:7:3 Owners route: the root route needs a receiver: it is the fallback for exceptions no other route takes',
      'owners.yaml:7:13 Owners route.matchers: the root route must match everything (it is the fallback); move its matchers into a child route',
    ],
  },
  'path-outside-data': {
    codes: ['SCHEMA'],
    lines: [
      'sources.yaml:17:15 Sources wms.files[0].path: "../../../etc/passwd" is not a valid file path (must match ^(?![A-Za-z]:)(?!(?:.*[/\\\\])?\\.\\.(?:[/\\\\]|$))[^/\\\\].*$; Relative to the --data folder and inside it: no leading / or \\, no drive letter, no .. segment.)',
    ],
  },
  'bad-value': {
    codes: ['BAD_VALUE', 'BAD_VALUE'],
    lines: [
      'sources.yaml:5:11 Sources schedules[0].cron: invalid cron expression "30 25 * * *"',
      'sources.yaml:11:15 Sources wms.timezone: unknown time zone "Europe/Nowhere"',
    ],
  },
};

describe('invalid rule fixtures', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual(Object.keys(CASES).sort());
  });

  it('the base of the fixtures is itself valid', async () => {
    const { ruleset, problems } = await loadRuleset(path.join(FIXTURES, '_base'));
    expect(problems).toEqual([]);
    expect(ruleset).not.toBeNull();
  });

  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: reports ${want.codes.join(', ')} with file:line:column`, async () => {
      const got = await problemsOf(name, want.remove);
      expect(got.lines).toEqual(want.lines);
      expect(got.codes).toEqual(want.codes);
    });
  }

  it('refuses a location file that is a link out of the rules folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-link-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'tally-outside-'));
    made.push(dir, outside);
    cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
    writeFileSync(path.join(outside, 'bins.csv'), 'Bin,Warehouse\nA-01,WH-1\n');
    symlinkSync(path.join(outside, 'bins.csv'), path.join(dir, 'bins.csv'));
    const mappings = readFileSync(path.join(dir, 'mappings.yaml'), 'utf8');
    const entry =
      '  - { path: bins.csv, source: wms, columns: { code: Bin, location: Warehouse } }';
    writeFileSync(path.join(dir, 'mappings.yaml'), `${mappings}locationFiles:\n${entry}\n`);
    const { ruleset, problems } = await loadRuleset(dir);
    expect(ruleset).toBeNull();
    expect(problems.map((p) => [p.code, p.line])).toEqual([['FILE_UNREADABLE', 11]]);
    expect(problems[0]!.message).toMatch(/is a link to .*outside the rules folder/);
  });

  it('rejects a file over the size cap without parsing it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-big-'));
    made.push(dir);
    cpSync(path.join(FIXTURES, '_base'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'roles.yaml'), `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const { problems } = await loadRuleset(dir);
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([['FILE_TOO_LARGE', 1, 1]]);
    expect(problems[0]!.message).toMatch(/limited to 1048576 bytes/);
  });
});
