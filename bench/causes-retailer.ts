/**
 * The retailer fixture (test/fixtures/retailer) scored like the demo injections: onboarded as
 * docs/onboarding.md says (tally init, the guide's edits, tally run) and compared with its
 * labelled problems, per problem kind — recall (an exception at the key), the right-cause rate
 * (raised with the labelled cause) and precision (of the exceptions named with that cause, how
 * many are labelled so) — then overall, with the exceptions no label names.
 */
import { fmtInt, table } from '../cli/render/text.ts';
import {
  initAndEdit,
  keyOf,
  runRetailer,
  scoreRetailer,
  type KindScore,
  type RunJson,
} from '../test/fixtures/retailer/onboarding.ts';

const f3 = (n: number, d: number) => (d === 0 ? '' : (n / d).toFixed(3));

function row(k: KindScore): string[] {
  return [
    k.cause,
    fmtInt(k.problems),
    f3(k.raised, k.problems),
    f3(k.namedRight, k.named),
    f3(k.rightCause, k.problems),
  ];
}

const { dir, rules } = initAndEdit();
const r = runRetailer(dir, rules);
if (r.status !== 0 && r.status !== 1) {
  process.stderr.write(r.stderr);
  throw new Error(`tally run on the retailer exited ${String(r.status)}`);
}
const score = scoreRetailer(JSON.parse(r.stdout) as RunJson);
const total = score.kinds.reduce(
  (t, k) => ({
    cause: 'overall',
    problems: t.problems + k.problems,
    raised: t.raised + k.raised,
    rightCause: t.rightCause + k.rightCause,
    named: score.exceptions,
    namedRight: t.namedRight + k.namedRight,
  }),
  { cause: 'overall', problems: 0, raised: 0, rightCause: 0, named: 0, namedRight: 0 },
);
const atLabels = score.exceptions - score.unlabelled.length;
const lines = [
  '',
  `Retailer fixture (test/fixtures/retailer): ${fmtInt(total.problems)} labelled problems, ` +
    `${fmtInt(score.exceptions)} exceptions raised`,
  '',
  ...table(
    ['cause', 'n', 'recall', 'precision', 'right cause'],
    [...score.kinds.map(row), ['', '', '', '', ''], row(total)],
  ),
  '',
  `overall: precision ${f3(atLabels, score.exceptions)} (exceptions at a labelled key; ` +
    `${f3(total.namedRight, score.exceptions)} with the labelled cause) · ` +
    `recall ${f3(total.raised, total.problems)} · right cause ${fmtInt(total.rightCause)}/` +
    `${fmtInt(total.problems)} (${f3(total.rightCause, total.problems)})`,
  '',
  'Wrong cause:',
  ...score.outcomes
    .filter((o) => !o.got.includes(o.label.cause))
    .map((o) => `  ${keyOf(o.label)} ${o.label.cause} → ${o.got.join(', ') || 'no exception'}`),
  '',
  'Raised at keys no label names:',
  ...score.unlabelled.map((u) => `  ${u}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
