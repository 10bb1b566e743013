import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesetOrThrow } from './load.ts';
import { inPilot, pilotActive, pilotEverything } from './pilot.ts';

const BUNDLED = new URL('../../../rules/', import.meta.url).pathname;

function rulesWith(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-pilot-rules-'));
  cpSync(BUNDLED, dir, { recursive: true });
  appendFileSync(join(dir, 'owners.yaml'), "\npilot:\n  reportChannel: '#tally-pilot'\n");
  edit(dir);
  return dir;
}

describe('pilot scope', () => {
  it('a schedule group in pilot covers the exceptions of its sources only', async () => {
    const dir = rulesWith((d) => {
      const file = join(d, 'sources.yaml');
      const text = readFileSync(file, 'utf8').replace(
        'timezone: America/New_York\n',
        'timezone: America/New_York\n    pilot: true\n',
      );
      writeFileSync(file, text);
    });
    const ruleset = await loadRulesetOrThrow(dir);
    expect([...ruleset.pilot!.groups]).toEqual(['nightly']);
    expect(ruleset.sources.get('erp')!.group).toBe('nightly');
    expect(inPilot(ruleset, { location: 'WH-EAST', source: 'erp' })).toBe(true);
    const other = [...ruleset.sources.values()].find((s) => s.group !== 'nightly')!;
    expect(inPilot(ruleset, { location: 'WH-EAST', source: other.id })).toBe(false);
    expect(ruleset.pilot!.report).toMatchObject({
      channel: '#tally-pilot',
      cron: '0 7 * * *',
      timezone: 'UTC',
    });
  });

  it('a location in pilot covers everything below it, and --pilot covers everything', async () => {
    const dir = rulesWith((d) => {
      const file = join(d, 'mappings.yaml');
      const text = readFileSync(file, 'utf8').replace(
        /(- \{ id: WH-EAST, [^}]*)\}/,
        '$1, pilot: true }',
      );
      writeFileSync(file, text);
    });
    const ruleset = await loadRulesetOrThrow(dir);
    expect(inPilot(ruleset, { location: 'WH-EAST-A-07' })).toBe(true);
    expect(inPilot(ruleset, { location: 'WH-WEST', source: 'erp' })).toBe(false);
    const bundled = await loadRulesetOrThrow(BUNDLED);
    expect(pilotActive(bundled.pilot)).toBe(false);
    expect(inPilot(pilotEverything(bundled), { location: 'WH-WEST' })).toBe(true);
  });
});
