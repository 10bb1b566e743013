import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRulesetOrThrow } from './load.ts';
import { formatProblem } from './problems.ts';
import { routeWarnings } from './route-fit.ts';

const BUNDLED = new URL('../../../rules/', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The bundled rules with some text replaced; the warnings, paths relative to the folder. */
async function warningsWith(edits: Record<string, [string | RegExp, string][]>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-route-fit-'));
  made.push(dir);
  cpSync(BUNDLED, dir, { recursive: true });
  for (const [file, pairs] of Object.entries(edits)) {
    let text = readFileSync(path.join(dir, file), 'utf8');
    for (const [from, to] of pairs) {
      expect(text, `${file}: ${String(from)}`).toMatch(from);
      text = text.replace(from, to);
    }
    writeFileSync(path.join(dir, file), text);
  }
  const warnings = routeWarnings(await loadRulesetOrThrow(dir));
  return warnings.map((w) => ({
    code: w.code,
    path: w.path,
    line: formatProblem(w).replace(`${dir}/`, ''),
  }));
}

const ROUTE_AFTER_FINANCE = '      receiver: finance-ops\n';

describe('routes against roles', () => {
  it('the bundled rules give every team they route to the role it needs', async () => {
    expect(await warningsWith({})).toEqual([]);
  });

  it('warns where a route sends exceptions to a team that cannot resolve them there', async () => {
    const got = await warningsWith({
      'roles.yaml': [
        [
          /- \{ subject: S0FINOPS001, role: resolver \}.*/,
          '- { subject: S0FINOPS001, role: viewer }',
        ],
        [/- \{ subject: S0LOSSPREV1.*\n/, ''],
      ],
    });
    expect(got.map((w) => w.line)).toEqual([
      'owners.yaml:51:7 Owners route.routes[1]: sends exceptions at WH-EAST, WH-WEST, STORE-NYC to finance-ops, whose team S0FINOPS001 holds only viewer there: grant it resolver (or approver) in the Roles rules for those locations, or route them elsewhere',
      'owners.yaml:64:11 Owners route.routes[4].routes[0]: sends exceptions at STORE-NYC, STORE-SF to loss-prevention, whose team S0LOSSPREV1 holds no role there: grant it resolver (or approver) in the Roles rules for those locations, or route them elsewhere',
    ]);
    expect(got.map((w) => [w.code, w.path])).toEqual([
      ['ROUTE_ROLE', '/route/routes/1'],
      ['ROUTE_ROLE', '/route/routes/4/routes/0'],
    ]);
  });

  it("warns where a route names a cause its source's role at the location rules out", async () => {
    const got = await warningsWith({
      'owners.yaml': [
        [
          ROUTE_AFTER_FINANCE,
          `${ROUTE_AFTER_FINANCE}
    # the WMS is the book at WH-EAST: an adjustment there is never in the wrong system
    - matchers: ['source=~"wms-.*"', 'cause="MANUAL_ADJUSTMENT_WRONG_SYSTEM"']
      receiver: east-ops
`,
        ],
      ],
      'sources.yaml': [
        [
          '{ location: STORE-NYC, domain: physical_movements, source: pos }',
          '{ location: STORE-NYC, domain: physical_movements, source: erp }',
        ],
      ],
    });
    // the bundled finance route names MANUAL_ADJUSTMENT_WRONG_SYSTEM from the ERP outside
    // STORE-SF, where it is the book; made the book at STORE-NYC too, the route is wrong there
    expect(got.filter((w) => w.code === 'ROUTE_SOURCE_ROLE').map((w) => w.line)).toEqual([
      expect.stringMatching(
        /^owners\.yaml:51:7 Owners route\.routes\[1\]: routes MANUAL_ADJUSTMENT_WRONG_SYSTEM from erp at STORE-NYC, where erp is the system of record for physical_movements; the classification rules raise MANUAL_ADJUSTMENT_WRONG_SYSTEM only for sources other than the system of record \(manual-adjustment-in-wrong-system \(.*classification\.yaml:\d+\)\)$/,
      ),
      expect.stringMatching(
        /^owners\.yaml:55:7 Owners route\.routes\[2\]: routes MANUAL_ADJUSTMENT_WRONG_SYSTEM from wms-east at WH-EAST, where wms-east is the system of record for physical_movements;/,
      ),
    ]);
  });
});
