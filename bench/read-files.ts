/**
 * The parse phase alone: a data folder's files read through readMappedFile, in ingest order,
 * several times in one process; prints the CPU and wall time of each pass (the first pays for
 * compiling the code, the later ones show the steady state).
 *   node --max-semi-space-size=64 bench/read-files.mjs <data> [--file <path>] [--passes 5]
 *     [--intake] [--text] [--as-of <iso>]
 * `--intake` delivers into the engine's intake (what a run does) instead of a counting sink;
 * `--text` reads delimited files through the text parser only (the byte lane off).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMappedFile } from '../connectors/shared/read-file.ts';
import type { Sink } from '../connectors/types.ts';
import { createIntake } from '../engine/core/normalize/intake.ts';
import { loadRulesetOrThrow } from '../engine/core/rules/load.ts';
import type { FileMapping, SourceDef } from '../engine/core/rules/types.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const dataDir = args[0];
if (!dataDir) throw new Error('usage: read-files.mjs <data> [--file <path>] [--passes n]');
const only = option('--file');
const passes = Number(option('--passes') ?? 3);
const ruleset = await loadRulesetOrThrow(join(dataDir, 'rules'));
const ORDER = ['items', 'opening', 'positions', 'events'];
const files: [SourceDef, FileMapping][] = [];
for (const source of ruleset.sources.values())
  for (const m of source.files) if (!only || m.path === only) files.push([source, m]);
files.sort(([, a], [, b]) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
const rejectsDir = mkdtempSync(join(tmpdir(), 'tally-read-files-'));
const asOf = new Date(Date.parse(option('--as-of') ?? benchAsOf(dataDir))).toISOString();

/** The as-of the benchmark generated the folder for (bench/scale.ts writes it). */
function benchAsOf(dir: string): string {
  const complete = join(dir, '.complete.json');
  if (!existsSync(complete)) throw new Error('no .complete.json: give --as-of');
  return (JSON.parse(readFileSync(complete, 'utf8')) as { asOf: string }).asOf;
}

function countingSink(): Sink & { rows: number } {
  const sink = {
    rows: 0,
    opening: () => void sink.rows++,
    position: () => void sink.rows++,
    event: () => void sink.rows++,
    item: () => void sink.rows++,
    reject: () => void sink.rows++,
  };
  return sink;
}

for (let pass = 1; pass <= passes; pass++) {
  const sink = args.includes('--intake') ? createIntake(ruleset) : countingSink();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  for (const [source, mapping] of files) {
    const ctx = { source, dataDir, asOf, rejectsDir };
    const summary = await readMappedFile(ctx, mapping, sink, {
      byteLane: !args.includes('--text'),
    });
    rows += summary.read;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = Math.round((used.user + used.system) / 1000);
  const wallMs = Math.round(performance.now() - started);
  console.log(JSON.stringify({ pass, files: files.length, rows, cpuMs, wallMs }));
}
