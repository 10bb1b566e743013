/**
 * `tally pilot compare --baseline <file>`: the team's own discrepancy list beside Tally's stored
 * results for the same as-of, as a terminal table, JSON or a self-contained HTML report.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseColumns, readBaseline } from '../../connectors/baseline/index.ts';
import { CONNECTORS } from '../../connectors/registry.ts';
import { loadRulesetOrThrow } from '../../engine/core/rules/load.ts';
import { comparePilot } from '../../engine/services/pilot/compare.ts';
import { renderCompareHtml } from '../../engine/services/pilot/html.ts';
import { withDb } from '../../engine/services/store/db.ts';
import { EXIT } from '../errors.ts';
import { renderCompareText } from '../render/pilot-compare.ts';
import { oneOf, timeBound } from './format.ts';
import { dataView } from './pilot-data.ts';

type Raw = {
  baseline: string;
  asOf?: string;
  format: string;
  out?: string;
  columns?: string;
  sheet?: string;
  numberFormat?: string;
  rules: string;
  data?: string;
};

const FORMATS = ['text', 'json', 'html'] as const;

export function register(program: Command): void {
  const pilot = program
    .command('pilot')
    .description(
      "Pilot mode beside the team's current process: compare its list with Tally's results.",
    );
  pilot
    .command('compare')
    .description(
      "Match the team's discrepancy list (CSV or XLSX: SKU, location, variance or quantity, optional reason) with Tally's stored results as of the same time: found by both, only by Tally (with evidence), only by the team (with why Tally did not raise it), cause agreement, value covered. Exits " +
        `${EXIT.partial} when rows of the list could not be read (each is listed with its line).`,
    )
    .requiredOption('--baseline <file>', "the team's list: .csv, .tsv or .xlsx")
    .option(
      '--as-of <time>',
      'compare with the latest run as of this ISO time or date (default: the latest run)',
    )
    .option('--format <format>', 'text, json or html', 'text')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option(
      '--columns <mapping>',
      'which header holds which field, e.g. "sku=Item Code,location=Site,variance=Diff,reason=Comment" (default: recognised from usual headers)',
    )
    .option('--sheet <name>', 'XLSX: the sheet to read (default the first)')
    .option(
      '--number-format <example>',
      'how the list writes numbers: 1234.5 (default), 1,234.5, 1.234,5 …',
    )
    .option(
      '--rules <dir>',
      'rules folder (SKU aliases, location codes, classification rules)',
      'rules',
    )
    .option(
      '--data <dir>',
      "also read the data folder as of the run: tells a SKU no source has from one that matched, and what the sources said for the team's keys Tally kept nothing about",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  tally pilot compare --baseline counts-2026-11-30.xlsx --as-of 2026-11-30\n  tally pilot compare --baseline team.csv --columns "sku=Article,location=Store,variance=Diff" --format html --out pilot-compare.html',
    )
    .action(async (o: Raw) => {
      const format = oneOf('--format', o.format, FORMATS);
      const asOf = timeBound('--as-of', o.asOf, true);
      const ruleset = await loadRulesetOrThrow(o.rules, {
        knownConnectors: CONNECTORS.map((c) => c.id),
      });
      const baseline = readBaseline(o.baseline, {
        columns: parseColumns(o.columns),
        ...(o.sheet ? { sheet: o.sheet } : {}),
        ...(o.numberFormat ? { numberFormat: o.numberFormat } : {}),
      });
      const data = o.data;
      const report = await withDb((db) =>
        comparePilot(db, ruleset, baseline, {
          ...(asOf ? { asOf } : {}),
          ...(data ? { data: (run) => dataView(ruleset, data, run.asOf) } : {}),
        }),
      );
      const text =
        format === 'json'
          ? JSON.stringify(report, null, 2) + '\n'
          : format === 'html'
            ? renderCompareHtml(report)
            : renderCompareText(report);
      if (o.out) {
        writeFileSync(o.out, text);
        process.stderr.write(`tally pilot compare: ${format} report written to ${o.out}\n`);
      } else process.stdout.write(text);
      for (const p of report.baseline.problems) {
        if (o.out || format !== 'text') process.stderr.write(`${p.file}:${p.line}: ${p.reason}\n`);
      }
      if (report.baseline.problems.length > 0) process.exitCode = EXIT.partial;
    });
}
