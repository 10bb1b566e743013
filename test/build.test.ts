/**
 * The compiled build that `npm ci` makes (`prepare` → `npm run build`) and `bin/tally.mjs` runs:
 * it starts, validates the bundled rules, and its compiled schema validators are current.
 * CI sets TALLY_REQUIRE_BUILD=1, so a missing build fails there instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_KINDS } from '../engine/core/rules/kinds.ts';
import {
  COMPILED_VALIDATORS_DIR,
  readSchemaText,
  schemaHash,
} from '../engine/core/rules/schema-validate.ts';

const root = new URL('..', import.meta.url).pathname;
const built = existsSync(`${root}dist/cli/main.js`);
const required = process.env.TALLY_REQUIRE_BUILD === '1';

// The compiled tally, as a user runs it (TALLY_FROM_SOURCE unset).
const tally = (...args: string[]) => {
  const env = { ...process.env };
  delete env.TALLY_FROM_SOURCE;
  return spawnSync(process.execPath, [`${root}bin/tally.mjs`, ...args], {
    encoding: 'utf8',
    env,
    cwd: root,
  });
};

describe.runIf(built || required)('the compiled build', () => {
  it('exists (npm run build)', () => {
    expect(built, 'dist/cli/main.js is missing: run npm run build').toBe(true);
  });

  it('prints the version and validates the bundled rules from dist/', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
    const version = tally('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const validate = tally('rules', 'validate');
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
  });

  it('ships one compiled validator per rule kind, compiled from the schema as it is now', async () => {
    for (const kind of RULE_KINDS) {
      const file = `${COMPILED_VALIDATORS_DIR}/${kind}.cjs`;
      expect(existsSync(file), file).toBe(true);
      const stamp = readFileSync(file, 'utf8').match(/schemaSha256 = "([0-9a-f]+)"/)?.[1];
      expect(stamp, `${kind}: rebuild (npm run build)`).toBe(schemaHash(readSchemaText(kind)));
    }
  });
});
