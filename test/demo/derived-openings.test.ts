/**
 * Openings are optional: the demo world reconciled with its opening files and without them
 * (each book's snapshot then stands as its opening) gives the same results, except where the
 * book's own snapshot disagrees with its opening and booked movements — a difference only an
 * opening can show; without one the book's count is the expected position.
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

const root = mkdtempSync(join(tmpdir(), 'tally-derived-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Result = RunResult['results'][number];
const line = (r: Result) =>
  `${r.source} ${r.sku} ${r.location} ${r.bucket} ${JSON.stringify(r.outcome)} ${r.variance}`;

/** Drops every `kind: opening` file from a Sources YAML. */
function withoutOpenings(yaml: string): string {
  const blocks = yaml.split(/(?=^ {6}- path: )/m);
  return blocks.filter((b) => !/^ {8}kind: opening$/m.test(b)).join('');
}

describe('derived openings on the demo', () => {
  it.each([DEFAULT_SEED, 7])(
    'seed %i: the same results as the opening files, but where the book disagrees with them',
    async (seed) => {
      const demo = await generateDemo({ dir: join(root, `seed-${seed}`), seed });
      const args = { rulesDir: demo.rulesDir, dataDir: demo.dataDir, asOf: demo.truth.asOf };
      const explicit = (await reconcileFolder(args)).run.results;
      const sourcesFile = join(demo.rulesDir, 'sources.yaml');
      const stripped = withoutOpenings(readFileSync(sourcesFile, 'utf8'));
      expect(stripped).not.toMatch(/kind: opening/);
      writeFileSync(sourcesFile, stripped);
      const derived = (await reconcileFolder(args)).run.results;

      const books = booksOf(await loadRulesetOrThrow(demo.rulesDir));
      const isBook = (r: Result) => bookOf(books, r.location, 'physical_movements') === r.source;
      const bookSaid = new Set(explicit.filter(isBook).map((r) => `${r.sku} ${r.location}`));
      const elsewhere = (rs: Result[]) =>
        rs
          .filter((r) => !bookSaid.has(`${r.sku} ${r.location}`))
          .map(line)
          .sort();
      expect(derived.filter(isBook)).toEqual([]);
      expect(elsewhere(derived)).toEqual(elsewhere(explicit));
      expect(elsewhere(explicit).length).toBeGreaterThan(5);
    },
  );
});
