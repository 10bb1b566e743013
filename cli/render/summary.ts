/** The run summary: inputs, keys, outcomes by code, cause and severity, time per phase. */
import type { RunResult } from '../../engine/core/recon/types.ts';
import { SEVERITIES } from '../../engine/core/rules/types.ts';
import { renderNotCompared, renderRunFindings } from './completeness.ts';
import { renderInputs } from './inputs.ts';
import { clip, fmtInt, fmtMs, sideBySide, table, wrapParts } from './text.ts';

/** `partialNote` says what the run findings do to the exit code (tally run knows, demo does not). */
export function renderSummary(
  run: RunResult,
  extra: { persisted?: string; partialNote?: string; left?: LeftAsTheyWere } = {},
): string[] {
  const s = run.summary;
  const explained = Object.values(s.explained).reduce((a, b) => a + b, 0);
  const exceptions = Object.values(s.exceptions).reduce((a, b) => a + b, 0);
  const partial = extra.partialNote ?? 'the run is partial';
  const out: string[] = [
    ...renderRunFindings(run.runFindings, partial),
    clip(`Tally run ${run.runId} as of ${run.asOf}`),
    clip(`ruleset ${run.rulesetVersion.label} · ${run.mode} run`),
    '',
    ...renderInputs(run.inputs),
    '',
    ...wrapParts('Keys ', [
      fmtInt(s.keys),
      `compared ${fmtInt(s.compared)}`,
      ...(s.notCompared ? [`not compared ${fmtInt(s.notCompared)}`] : []),
      `matched ${fmtInt(s.matched)}`,
      `explained ${fmtInt(explained)}`,
      `exceptions ${fmtInt(exceptions)}` +
        (s.exceptionComparisons && s.exceptionComparisons > exceptions
          ? ` (${fmtInt(s.exceptionComparisons)} comparisons)`
          : ''),
    ]),
    '',
    ...renderNotCompared(run.notCompared, s.notCompared ?? 0),
  ];
  const byCode = sorted(s.explained).map(([code, n]) => [code, fmtInt(n)]);
  const byCause = sorted(s.exceptions).map(([cause, n]) => [cause, fmtInt(n)]);
  const left = byCode.length ? table(['Explained', 'keys'], byCode) : ['  Explained: none'];
  const right = byCause.length ? table(['Exceptions', 'keys'], byCause) : ['  Exceptions: none'];
  out.push(...sideBySide(left, right), '');
  const severities = [...SEVERITIES]
    .reverse()
    .filter((sev) => (s.exceptionsBySeverity[sev] ?? 0) > 0)
    .map((sev) => `${sev} ${fmtInt(s.exceptionsBySeverity[sev]!)}`);
  if (severities.length) out.push(clip(`By severity: ${severities.join(' · ')}`), '');
  out.push(...renderDurations(run));
  if (run.findings.length) out.push(...renderFindings(run));
  if (extra.persisted) out.push(clip(`Saved to ${extra.persisted}`));
  if (extra.left) out.push(...renderLeft(extra.left));
  return out;
}

/** What the save left as it was, and why (persist-run.ts). */
export type LeftAsTheyWere = {
  /** Open exceptions whose comparison the run did not make. */
  notCompared: number;
  /** Exceptions a run as of a later time decided. */
  decidedLater: number;
  /** Exceptions found and not opened: a later full run is saved. */
  notOpened: number;
  laterRunAsOf?: string;
};

function renderLeft(left: LeftAsTheyWere): string[] {
  const out: string[] = [];
  const n = (count: number, what: string) => `${fmtInt(count)} ${what}${count === 1 ? '' : 's'}`;
  if (left.notCompared)
    out.push(
      `${n(left.notCompared, 'open exception')} left as ${left.notCompared === 1 ? 'it was' : 'they were'}, not resolved: this run did not make`,
      '  their comparison (the source failed or sent no snapshot there, or a refused row left',
      '  the key incomplete)',
    );
  if (left.decidedLater || left.notOpened) {
    const later = left.laterRunAsOf ? `A saved run as of ${left.laterRunAsOf}` : 'A later run';
    const parts = [`${n(left.decidedLater, 'exception')} left as decided there`];
    if (left.notOpened) parts.push(`${n(left.notOpened, 'difference')} found here not opened`);
    out.push(
      clip(`${later} is later: what it decided stands.`),
      clip(`  ${parts.join('; ')}`),
      '  (to look at a past as-of without saving: --no-persist)',
    );
  }
  return out;
}

function sorted(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function renderDurations(run: RunResult): string[] {
  const d = run.durations;
  const phases: [string, number][] = [
    ['parse', d.parseMs],
    ['normalize', d.normalizeMs],
    ...(d.collectMs === undefined
      ? []
      : ([['memory given back', d.collectMs]] as [string, number][])),
    ['ledger', d.ledgerMs],
    ['match', d.matchMs],
    ['classify', d.classifyMs],
  ];
  const parts = phases.map(([name, ms]) => `${name} ${fmtMs(ms)}`);
  return wrapParts('Time ', [...parts, `total ${fmtMs(d.totalMs)}`], ' · ', '     ').map((l) =>
    clip(l),
  );
}

/** Rows kept out of the ledger, so the reader can see which file and line to fix. */
function renderFindings(run: RunResult): string[] {
  const shown = run.findings.slice(0, 5).map((f) => {
    const where = f.origin ? `${f.origin.file}:${f.origin.line}` : f.source;
    return clip(`  ${where} ${f.code}: ${f.message}`);
  });
  const more = run.findings.length - shown.length;
  // a unit conflict keeps its item: the item master's pack size is used and the rules' reported
  const conflicts = run.findings.filter((f) => f.code === 'UNIT_CONFLICT').length;
  const kept = run.findings.length - conflicts;
  const what = [
    ...(kept > 0 ? [`${fmtInt(kept)} rows kept out of the ledger`] : []),
    ...(conflicts > 0 ? [`${fmtInt(conflicts)} unit conflicts, item master used`] : []),
  ];
  return [
    clip(`Normalization findings: ${fmtInt(run.findings.length)} (${what.join('; ')})`),
    ...shown,
    ...(more > 0 ? [clip(`  … and ${fmtInt(more)} more (--format json lists them all)`)] : []),
  ];
}
