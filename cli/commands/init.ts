/**
 * `tally init --data <folder> --out <rules dir>`: recognize a folder of exports and write a
 * rules folder that validates and runs as it is; print what was recognized, what was guessed,
 * and what the person must still decide.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../engine/core/errors.ts';
import { proposeRules } from '../../connectors/recognize/index.ts';
import { EXIT } from '../errors.ts';
import { getConnector } from '../../connectors/registry.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { loadRules, printProblems } from './rules/data.ts';

type Options = { data: string; out: string; force?: boolean; timezone?: string };

export function register(program: Command): void {
  program
    .command('init')
    .description('Recognize a folder of exports and write a first rules folder for it.')
    .requiredOption('--data <dir>', 'folder of exported files (one subfolder per system is best)')
    .requiredOption('--out <dir>', 'rules folder to write')
    .option(
      '--timezone <zone>',
      'IANA zone of wall-clock times in the files (default: this machine’s)',
    )
    .option('--force', 'write into a non-empty --out folder, replacing the files init writes')
    .addHelpText(
      'after',
      '\nRecognizes ERPNext Stock Ledger Entry / Bin / Item CSV, a WMS or any delimited file whose\n' +
        'header maps to positions or movements, X12 846/944/945/947, Amazon FBA inventory and ledger\n' +
        'reports, and saved Shopify GraphQL pages. The rules validate and run as written; lines\n' +
        'marked "# TODO" are guesses to check. See docs/onboarding.md.\n' +
        '\nExample: tally init --data exports/ --out rules/ && tally run --data exports/ --rules rules/\n' +
        'Exit codes: 0 written, 1 the written rules do not validate, 2 bad input.',
    )
    .action(async (o: Options) => {
      process.exitCode = await initCommand(o);
    });
}

export async function initCommand(o: Options): Promise<number> {
  const dataDir = path.resolve(o.data);
  const info = await stat(dataDir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new InputError('DATA_DIR_NOT_FOUND', `data folder not found: ${o.data}`);
  const outDir = path.resolve(o.out);
  const existing = await readdir(outDir).catch(() => [] as string[]);
  if (existing.length > 0 && !o.force) {
    throw new InputError(
      'OUT_NOT_EMPTY',
      `${o.out} is not empty: choose an empty folder, or pass --force to replace the files init writes`,
    );
  }
  if (path.relative(dataDir, outDir) === '')
    throw new InputError('BAD_OPTION', '--out must not be the --data folder');
  const timezone = o.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isZone(timezone))
    throw new InputError('BAD_OPTION', `--timezone: unknown time zone "${timezone}"`);
  // a rules folder inside the data folder (where tally run looks first) holds no exports
  const inside = path.relative(dataDir, outDir);
  const skip =
    inside.startsWith('..') || path.isAbsolute(inside) ? [] : [inside.split(path.sep).join('/')];
  const { plan, files } = await proposeRules(dataDir, {
    timezone,
    canRead: canRead(timezone),
    skip,
  });
  await mkdir(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(outDir, name), text);
  const out = process.stdout;
  const section = (title: string, lines: string[]) => {
    out.write(`\n${title} (${lines.length})\n`);
    for (const l of lines) out.write(`  - ${l}\n`);
  };
  out.write(
    `Wrote ${Object.keys(files).length} rule files to ${o.out} (wall-clock times read in ${timezone}).\n`,
  );
  section('Recognized', plan.report.recognized);
  section('Guessed — check the lines marked # TODO', plan.report.guessed);
  section('Still to decide', [
    ...plan.report.decide,
    'owners.yaml: each team’s Slack channel; roles.yaml: who resolves and approves',
    'tolerances.yaml: exact to begin with; loosen once the first runs show your noise',
    files['accounts.yaml']
      ? "accounts.yaml: ERPNext's default stock accounts for the month-end journal (tally close); check them against the chart of accounts"
      : 'accounts.yaml: the ledger accounts tally close posts corrections to (none proposed: no single ERPNext company found)',
  ]);
  const loaded = await loadRules(outDir);
  if (!loaded.ruleset) {
    printProblems(outDir, loaded.problems);
    return EXIT.findings;
  }
  out.write(`\nThe rules validate. Next: tally run --data ${o.data} --rules ${o.out}\n`);
  return EXIT.ok;
}

/** Whether this version's connector accepts these settings (offline readers land over time). */
function canRead(timezone: string) {
  return (connector: string, settings: Record<string, unknown>) => {
    const probe: SourceDef = {
      file: 'init',
      line: 1,
      id: 'probe',
      connector,
      role: 'ecommerce',
      owner: 'probe',
      timezone,
      cutoffMinutes: 0,
      expectedLagMinutes: 0,
      systemOfRecord: [],
      locations: [],
      group: 'probe',
      files: [],
      settings,
    };
    return getConnector(connector).checkSettings(probe).length === 0;
  };
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
