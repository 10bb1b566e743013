/** The proposed rules as YAML files, with comments saying what was guessed and what is left to decide. */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { fromPackageRoot } from '../../engine/core/package-root.ts';
import type { FilePlan, Plan, SourcePlan } from './plan.ts';
import { accountsYaml } from './accounts.ts';

const HEAD = (kind: string, intro: string[]) =>
  [
    `# Written by \`tally init\`. ${intro[0] ?? ''}`,
    ...intro.slice(1).map((l) => `# ${l}`),
    'apiVersion: tally/v1',
    `kind: ${kind}`,
  ].join('\n') + '\n';
const q = (s: string) => stringify(s).trimEnd();
const indent = (text: string, n: number) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

export const RECEIVER = (source: string) => `${source}-team`;

function sourceYaml(plan: Plan, s: SourcePlan): string {
  const entry: Record<string, unknown> = {
    id: s.id,
    connector: s.connector,
    role: s.role,
    owner: RECEIVER(s.id),
    timezone: plan.timezone,
    cutoff: '23:00',
    systemOfRecord: s.systemOfRecord,
    locations: [...s.locations].sort(),
    group: 'nightly',
  };
  if (s.settings) entry.settings = s.settings;
  const files = (s.files ?? []).map(fileEntry);
  let text = stringify([entry], { lineWidth: 0 });
  if (files.length > 0)
    text = text.trimEnd() + '\n  files:\n' + files.map((f) => indent(f, 4)).join('\n') + '\n';
  const notes = s.notes.map((n) => `# ${n}\n`).join('');
  if (!s.disabled) return notes + text;
  return `# NOT READ: ${s.disabled}\n${notes}` + text.replace(/^/gm, '# ');
}

/** The book chosen where two sources keep physical movements at one location. */
function books(plan: Plan): string {
  if (plan.books.size === 0) return '';
  const entries = [...plan.books]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([location, source]) =>
        `  - { location: ${q(location)}, domain: physical_movements, source: ${q(source)} } # TODO: check the book`,
    );
  return `\n# two sources keep physical movements at these locations: the book chosen\nsystemsOfRecord:\n${entries.join('\n')}\n`;
}

function fileEntry(f: FilePlan): string {
  const { notes, ...rest } = f;
  const body = stringify([rest], { lineWidth: 0 }).trimEnd();
  return notes.map((n) => `# ${n}`).join('\n') + (notes.length ? '\n' : '') + body;
}

export function renderRules(plan: Plan): Record<string, string> {
  const live = plan.sources.filter((s) => !s.disabled);
  const sources =
    HEAD('Sources', [
      'Every system found in the data folder and how its files are read.',
      'cutoff: the daily cut-off in the source time zone (a default: check it). owner: a receiver in owners.yaml.',
    ]) +
    "\nschedules:\n  - { group: nightly, cron: '30 23 * * *', timezone: " +
    q(plan.timezone) +
    ' }\n' +
    books(plan) +
    '\nsources:\n' +
    plan.sources.map((s) => indent(sourceYaml(plan, s), 2)).join('\n\n') +
    '\n';
  const accounts = accountsYaml(plan, HEAD);
  return {
    ...(accounts ? { 'accounts.yaml': accounts } : {}),
    'sources.yaml': sources,
    'status-maps.yaml': statusMaps(plan),
    'mappings.yaml': mappings(plan),
    'units.yaml': units(plan),
    'timing-windows.yaml': timing(plan),
    'tolerances.yaml': TOLERANCES,
    'owners.yaml': owners(live.map((s) => s.id)),
    'roles.yaml': ROLES,
    'classification.yaml': readFileSync(fromPackageRoot('rules', 'classification.yaml'), 'utf8'),
  };
}

function statusMaps(plan: Plan): string {
  const lines = [
    HEAD('StatusMap', [
      "Each source's status words (or quantity columns) → bucket, from the values found.",
      'Buckets: sellable, committed, non_sellable, in_transit, or ignore for a derived total.',
    ]),
    'statusMaps:',
  ];
  for (const s of plan.sources) {
    const map = plan.statusMaps.get(s.id) ?? [];
    const c = s.disabled ? '# ' : '';
    lines.push(`${c}  ${q(s.id)}:${map.length === 0 ? ' {}' : ''}`);
    for (const g of map)
      lines.push(`${c}    ${q(g.word)}: ${g.bucket}${g.todo ? ` # TODO: ${g.todo}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function mappings(plan: Plan): string {
  const lines = [
    HEAD('Mappings', [
      "The locations found, and each source's location codes. Levels: site → warehouse → zone → bin;",
      'positions are compared at compareLevel, finer locations roll up to it.',
    ]),
    'compareLevel: warehouse',
    '',
    'locations:',
  ];
  for (const l of [...plan.locations.values()].sort(
    (a, b) => (a.level === 'bin' ? 1 : 0) - (b.level === 'bin' ? 1 : 0),
  )) {
    const { todo, note, ...rest } = l;
    const comment = todo ? ` # TODO: ${todo}` : note ? ` # ${note}` : '';
    lines.push(`  - ${stringify(rest, { flow: true, lineWidth: 0 }).trimEnd()}${comment}`);
  }
  const coded = [...plan.locationCodes].filter(
    ([source]) => !plan.sources.find((s) => s.id === source)?.disabled,
  );
  // every source names the locations themselves: an empty mapping, not a null
  lines.push('', `locationCodes:${coded.length === 0 ? ' {}' : ''}`);
  for (const [source, codes] of coded) {
    lines.push(`  ${q(source)}:`);
    for (const [code, e] of codes)
      lines.push(`    ${q(code)}: ${e.id}${e.todo ? ` # TODO: ${e.todo}` : ''}`);
  }
  if (plan.skuAliases.size > 0)
    lines.push(
      '',
      "# each source's own id for an item → the sku (from the item master)",
      'skuAliases:',
    );
  for (const [source, map] of plan.skuAliases) {
    lines.push(`  ${q(source)}:`);
    for (const [alias, sku] of map) lines.push(`    ${q(alias)}: ${q(sku)}`);
  }
  if (plan.crosswalks.length > 0) lines.push('', 'referenceCrosswalk:');
  for (const c of plan.crosswalks) {
    lines.push(...c.notes.map((n) => `  # ${n}`));
    lines.push(`  - sources: [${c.sources.map(q).join(', ')}]`, '    proximity: true');
  }
  return lines.join('\n') + '\n';
}

function units(plan: Plan): string {
  const u = plan.units;
  const lines = [
    HEAD('Units', ['Quantities are whole base units; other units convert by a whole factor.']),
    'defaultBaseUnit: each',
    'aliases:',
  ];
  const aliases = [...u.aliases].filter(([word, unit]) => word !== unit);
  if (aliases.length === 0) lines[lines.length - 1] += ' {}';
  for (const [word, unit] of aliases) lines.push(`  ${q(word)}: ${unit}`);
  lines.push(`classes:${u.classes.size === 0 ? ' {}' : ''}`);
  for (const c of u.classes) lines.push(`  ${q(c)}: { baseUnit: each }`);
  lines.push(`${u.note ? `# ${u.note}\n` : ''}skus:${u.skus.size === 0 ? ' {}' : ''}`);
  for (const [sku, conv] of u.skus)
    lines.push(
      `  ${q(sku)}: { baseUnit: each, conversions: ${stringify(conv, { flow: true }).trimEnd()} }`,
    );
  return lines.join('\n') + '\n';
}

function timing(plan: Plan): string {
  const lines = [
    HEAD('TimingWindows', [
      'Proposed from the lags seen between systems that recorded the same movement.',
    ]),
    'inTransit:',
    `  defaultHours: ${plan.defaultTransitHours}`,
    `  windows:${plan.transitWindows.length === 0 ? ' []' : ''}`,
  ];
  for (const w of plan.transitWindows)
    lines.push(`    - { from: ${q(w.from)}, to: ${q(w.to)}, hours: ${w.hours} } # ${w.note}`);
  lines.push(
    'postingLag:',
    '  defaultMinutes: 60',
    `  pairs:${plan.postingLags.length === 0 ? ' []' : ''}`,
  );
  for (const l of plan.postingLags)
    lines.push(`    - { from: ${q(l.from)}, to: ${q(l.to)}, minutes: ${l.minutes} } # ${l.note}`);
  return lines.join('\n') + '\n';
}

function owners(sourceIds: string[]): string {
  const lines = [
    HEAD('Owners', [
      "Who is told about what. TODO: put each team's Slack channel (and user group) in.",
    ]),
    'receivers:',
    "  - { name: inventory-control, slackChannel: '#inventory' } # TODO: the fallback channel",
  ];
  for (const id of sourceIds)
    lines.push(
      `  - { name: ${RECEIVER(id)}, slackChannel: '#inv-${id}' } # TODO: the team fixing ${id}'s data`,
    );
  lines.push(
    'route:',
    '  receiver: inventory-control',
    `  routes:${sourceIds.length === 0 ? ' []' : ''}`,
  );
  for (const id of sourceIds)
    lines.push(`    - { matchers: ['source="${id}"'], receiver: ${RECEIVER(id)} }`);
  return lines.join('\n') + '\n';
}

const TOLERANCES = `${HEAD('Tolerances', ['Exact to begin with: every difference is shown. Loosen once you know your noise, e.g.', '  - name: apparel-noise', '    match: { skuClass: Apparel, bucket: sellable }', '    absolute: 2', '    percent: 1'])}tolerances:
  - name: default-exact
    absolute: 0
`;

const ROLES = `${HEAD('Roles', ['Who may resolve and approve corrections. TODO: grant your Slack users and groups, e.g.', '  - { subject: S0INVCTRL01, role: resolver }', '  - { subject: U0CONTROLLR, role: approver, approvalLimitValue: 25000 }'])}twoApproverThresholdValue: 5000
grants: []
`;
