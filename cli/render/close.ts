/** Terminal views of a month-end close: the report, a verification, a reopen. */
import { formatMoney, type Currency } from '../../engine/core/model/money.ts';
import type {
  CloseRecord,
  CloseReport,
  CloseVerifyResult,
} from '../../engine/services/close/index.ts';
import { clip, fmtInt, fmtSigned, table } from './text.ts';

export function renderClose(r: CloseReport, currency: Currency, journalPath?: string): string[] {
  const money = (minor: number) => formatMoney(minor, currency);
  const t = r.totals;
  const p = r.period;
  const out = [
    clip(`${r.dryRun ? 'Dry run of the close of' : 'Closed'} ${p.name}: positions as of ${p.asOf}`),
    clip(`by ${r.closedBy} at ${r.closedAt} · ruleset ${r.rulesetVersion}`),
    '',
    ...table(
      ['', 'count', `value ${currency.code}`],
      [
        [
          'positions (SKU × location × bucket)',
          fmtInt(r.positions.length),
          money(t.positionsValueMinor),
        ],
        ['exceptions open at close', fmtInt(r.openExceptions.length), money(t.openValueMinor)],
        [
          'corrections applied in the period',
          fmtInt(r.corrections.length),
          money(t.adjustmentsValueMinor),
        ],
        ['journal entries: debit', fmtInt(r.journal.length / 2), money(t.debitMinor)],
        ['                 credit', '', money(t.creditMinor)],
      ],
    ),
  ];
  if (t.positionsWithoutCost > 0)
    out.push(
      clip(
        `! ${fmtInt(t.positionsWithoutCost)} position${t.positionsWithoutCost === 1 ? '' : 's'} without a unit cost in the item master, valued at 0`,
      ),
    );
  if (r.correctionsWithoutValue.length > 0)
    out.push(
      clip(
        `! corrections without a value, so without a journal entry: ${r.correctionsWithoutValue.map((id) => `#${id}`).join(', ')}`,
      ),
    );
  out.push('', ...valueByLocation(r, money), '', ...topOpen(r, money));
  out.push('');
  if (journalPath)
    out.push(clip(`journal: ${fmtInt(r.journal.length)} lines written to ${journalPath}`));
  if (r.dryRun) out.push('Nothing was stored and the period stays open (--dry-run).');
  else if (r.auditHead)
    out.push(
      `period ${p.name} is locked. Audit head at close (keep it outside the database):`,
      `  ${r.auditHead.seq}-${r.auditHead.hash}`,
      clip(`check it later with: tally close verify --period ${p.name}`),
    );
  return out;
}

function valueByLocation(r: CloseReport, money: (m: number) => string): string[] {
  const groups = new Map<string, { quantity: number; value: number }>();
  for (const p of r.positions) {
    const key = `${p.location}\u0000${p.bucket}`;
    const g = groups.get(key) ?? { quantity: 0, value: 0 };
    g.quantity += p.quantity;
    g.value += p.valueMinor;
    groups.set(key, g);
  }
  if (groups.size === 0) return ['no positions at the period end'];
  const rows = [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => {
      const [location, bucket] = key.split('\u0000') as [string, string];
      return [`${location} ${bucket}`, fmtInt(g.quantity), money(g.value)];
    });
  return ['Positions by location and bucket', ...table(['', 'quantity', 'value'], rows)];
}

function topOpen(r: CloseReport, money: (m: number) => string): string[] {
  if (r.openExceptions.length === 0) return ['no exceptions open at close'];
  const top = [...r.openExceptions].sort((a, b) => b.valueMinor - a.valueMinor).slice(0, 10);
  const rows = top.map((e) => [
    clip(`#${e.exceptionId} ${e.cause} ${e.sku} @ ${e.location} ${e.bucket}`, 46),
    fmtSigned(e.variance),
    money(e.valueMinor),
  ]);
  const more = r.openExceptions.length - top.length;
  return [
    `Open at close, by value${more > 0 ? ` (top 10 of ${fmtInt(r.openExceptions.length)})` : ''}`,
    ...table(['', 'variance', 'value'], rows),
  ];
}

export function renderVerify(v: CloseVerifyResult): string[] {
  const r = v.record;
  const state = !v.ok ? 'CHANGED SINCE CLOSE' : r.state === 'reopened' ? 'reopened' : 'as closed';
  return [
    clip(`period ${v.period}: ${state}`),
    clip(
      `  closed by ${r.closedBy} at ${r.closedAt}, audit head ${r.auditHead.seq}-${r.auditHead.hash.slice(0, 16)}…`,
    ),
    ...v.checks.map((c) => clip(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`, 200)),
  ];
}

export function renderReopened(r: CloseRecord): string[] {
  return [
    `period ${r.period} reopened by ${r.reopenedBy} at ${r.reopenedAt}: ${r.reopenReason}`,
    'Corrections dated in it are booked in it again until it is closed again (tally close).',
  ];
}
