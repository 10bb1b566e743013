import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ordersWarnings } from './channel-orders.ts';
import { loadRulesetOrThrow } from './load.ts';
import { formatProblem } from './problems.ts';
import { withoutOrderReferences } from '../../../test/rules-tooling/setup.ts';

const BUNDLED = new URL('../../../rules/', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The bundled rules with the Sources text edited; the warnings, paths relative to the folder. */
async function warningsWith(edit: (sources: string) => string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-channel-orders-'));
  made.push(dir);
  cpSync(BUNDLED, dir, { recursive: true });
  const file = path.join(dir, 'sources.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return ordersWarnings(await loadRulesetOrThrow(dir)).map((w) => ({
    code: w.code,
    line: formatProblem(w).replace(`${dir}/`, ''),
  }));
}

describe("a channel's orders", () => {
  it('are named in the bundled rules: no warning', async () => {
    expect(await warningsWith((text) => text)).toEqual([]);
  });

  it('unnamed on a channel that reads events where another source books: one warning', async () => {
    const got = await warningsWith(withoutOrderReferences);
    expect(got).toHaveLength(1);
    expect(got[0]!.code).toBe('ORDERS_UNNAMED');
    expect(got[0]!.line).toMatch(
      /^sources\.yaml:\d+:\d+ Sources shop: reads events at WH-EAST, WH-WEST, where wms-east, 3pl-west book the movements, but names none of its orders/,
    );
  });

  it('unnamed on a channel without events: nothing to check, no warning', async () => {
    const got = await warningsWith((text) =>
      withoutOrderReferences(text).replace(
        /\n {6}- path: shop\/fulfillments\.jsonl\n(?: {8}.*\n)+/,
        '\n',
      ),
    );
    expect(got).toEqual([]);
  });
});
