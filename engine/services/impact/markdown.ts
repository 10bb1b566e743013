/** Markdown for a pull-request comment, and a plain JSON shape for machines. */
import type { Change, Decision, ImpactReport } from './diff.ts';

function describe(d: Decision): string {
  if (d.outcome === 'match') return 'match';
  if (d.outcome === 'explained') return `explained ${d.code}`;
  const to = d.receivers.length ? ` → ${d.receivers.join(', ')}` : '';
  return `${d.severity} ${d.code}${to}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function sampleRow(c: Change): string {
  const cols = [c.kind, c.sku, c.location, c.bucket, c.source, describe(c.base), describe(c.head)];
  return `| ${cols.map((x) => cell(`${x}`)).join(' | ')} |`;
}

export function renderImpactMarkdown(r: ImpactReport, opts: { baseRef?: string } = {}): string {
  const t = r.totals;
  const ref = opts.baseRef ? ` (${opts.baseRef})` : '';
  const lines = [
    `### Impact of the rule change`,
    '',
    `Base \`${r.base.version}\`${ref} → working \`${r.head.version}\`, same data as of ${r.asOf}.`,
    '',
    `Exceptions: ${r.base.exceptions} → ${r.head.exceptions} · **${t.added} added**, ` +
      `**${t.removed} removed**, **${t.changed} changed**` +
      (t.reclassified ? ` · ${t.reclassified} other decisions changed (match ↔ explained)` : ''),
    '',
  ];
  if (r.changes.length === 0) {
    lines.push('No decision changes on this data.');
    return `${lines.join('\n')}\n`;
  }
  if (r.owners.length > 0) {
    lines.push('| owner | added | removed | changed |', '|---|---:|---:|---:|');
    for (const o of r.owners)
      lines.push(`| ${o.owner} | ${o.added} | ${o.removed} | ${o.changed} |`);
    lines.push('');
  }
  const header = [
    '| change | sku | location | bucket | source | before | after |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const o of r.owners) {
    const n = o.added + o.removed + o.changed;
    const more = n > o.samples.length ? ` (first ${o.samples.length} of ${n})` : '';
    lines.push(
      `<details><summary>${o.owner}: ${n} change${n === 1 ? '' : 's'}${more}</summary>`,
      '',
    );
    lines.push(...header, ...o.samples.map(sampleRow), '', '</details>', '');
  }
  const other = r.changes.filter((c) => c.kind === 'reclassified');
  if (other.length > 0) {
    lines.push(`<details><summary>match ↔ explained: ${other.length}</summary>`, '');
    lines.push(...header, ...other.slice(0, 10).map(sampleRow), '', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}

/** JSON for machines: the whole report plus the base ref. */
export function impactJson(r: ImpactReport, opts: { baseRef?: string } = {}): string {
  return `${JSON.stringify({ baseRef: opts.baseRef ?? null, ...r }, null, 2)}\n`;
}
