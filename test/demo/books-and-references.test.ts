/**
 * The demo world's books differ per (location, domain), and its ERP names movements by its
 * own voucher numbers: the bundled rules' crosswalk (a pattern for the east WMS's
 * adjustments, the remarks column for the west 3PL's receipts) pairs them. Without the
 * crosswalk every such pair would be two breaks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateDemo } from '../../demo/index.ts';
import { reconcileFolder } from '../../server/pipeline.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { bookOf, booksOf } from '../../engine/core/rules/books.ts';
import type { RunResult } from '../../engine/core/recon/types.ts';

const root = mkdtempSync(join(tmpdir(), 'tally-demo-refs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Result = RunResult['results'][number];
/** Exceptions at a location: an unpaired posting is a missing posting or a wrong-system adjustment. */
const exceptions = (results: Result[], location: string) =>
  results.filter((r) => r.location === location && r.outcome.type === 'exception').length;

describe('the demo: books per location and domain, references that differ', () => {
  it('has a book per domain at every location, and the SF store books its movements in the ERP', async () => {
    const demo = await generateDemo({ dir: join(root, 'books'), seed: DEFAULT_SEED });
    const books = booksOf(await loadRulesetOrThrow(demo.rulesDir));
    const book = (location: string, domain: 'physical_movements' | 'financial_postings') =>
      bookOf(books, location, domain);
    expect(
      ['WH-EAST', 'WH-WEST', 'STORE-NYC', 'STORE-SF'].map((l) => book(l, 'physical_movements')),
    ).toEqual(['wms-east', '3pl-west', 'pos', 'erp']);
    expect(book('WH-EAST-A-01', 'physical_movements')).toBe('wms-east'); // a bin inherits
    expect(book('WH-EAST', 'financial_postings')).toBe('erp');
    // the SF store's book is the ERP for both domains; the NYC store's movements are the POS's
    expect(book('STORE-SF', 'financial_postings')).toBe('erp');
    expect(book('STORE-NYC', 'financial_postings')).toBe('erp');
  });

  it('pairs the ERP vouchers with the WMS adjustments and the 3PL receipts through the crosswalk', async () => {
    const demo = await generateDemo({ dir: join(root, 'refs'), seed: DEFAULT_SEED });
    const ledger = readFileSync(join(demo.dataDir, 'erp/stock_ledger.csv'), 'utf8');
    expect(ledger).toMatch(/,Stock Reconciliation,MAT-RECO-\d+,.*,East DC - TC,/);
    expect(ledger).toMatch(/,Purchase Receipt,MAT-PRE-\d+,.*,West 3PL - TC,.*,Against ASN-\d+$/m);
    const args = { rulesDir: demo.rulesDir, dataDir: demo.dataDir, asOf: demo.truth.asOf };
    const withCrosswalk = (await reconcileFolder(args)).run.results;

    const mappings = join(demo.rulesDir, 'mappings.yaml');
    const text = readFileSync(mappings, 'utf8');
    const without = text.replace(/^referenceCrosswalk:\n(?: {2,}.*\n)+/m, '');
    expect(without).not.toMatch(/referenceCrosswalk/);
    writeFileSync(mappings, without);
    const withoutCrosswalk = (await reconcileFolder(args)).run.results;

    for (const location of ['WH-EAST', 'WH-WEST']) {
      expect(exceptions(withoutCrosswalk, location), location).toBeGreaterThan(
        exceptions(withCrosswalk, location),
      );
    }
  });
});
