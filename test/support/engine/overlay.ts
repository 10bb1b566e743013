/** Test helper: the small valid ruleset of the fixtures with some files replaced. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRulesetOrThrow } from '../../../engine/core/rules/load.ts';
import type { Ruleset } from '../../../engine/core/rules/types.ts';

const BASE = new URL('../../fixtures/rules-invalid/_base/', import.meta.url).pathname;

export async function rulesetWith(files: Record<string, string>): Promise<Ruleset> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-rules-overlay-'));
  try {
    cpSync(BASE, dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return await loadRulesetOrThrow(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
