/**
 * `tally close verify`: is the period as it was closed? Each check names what it found:
 * - the audit chain is intact up to the head recorded at close (nothing edited, reordered or cut);
 * - that head is the close's own entry and carries the close's digest;
 * - the close tables still hash to that digest (the snapshot, exceptions, corrections, journal);
 * - the corrections applied in the period and the ledger events dated in it are those of the close;
 * - while closed, no audit entry after the close is dated inside the period.
 */
import type { Knex } from 'knex';
import { verifyAudit } from '../audit/verify.ts';
import { fromRow } from '../audit/log.ts';
import { parsePeriod } from '../periods/period.ts';
import { correctionsHash, correctionsIn, ledgerDigest, openExceptionsAt } from './contents.ts';
import { CloseError } from './errors.ts';
import { contentHash, loadRecord, readContent, type CloseRecord } from './store.ts';

export type CloseCheck = { name: string; ok: boolean; message: string };
export type CloseVerifyResult = {
  period: string;
  ok: boolean;
  record: CloseRecord;
  checks: CloseCheck[];
};

export async function verifyClose(db: Knex, name: string): Promise<CloseVerifyResult> {
  const period = parsePeriod(name);
  const record = await loadRecord(db, period.name);
  if (!record)
    throw new CloseError(
      'PERIOD_NOT_CLOSED',
      `period ${period.name} was never closed; nothing to verify`,
    );
  const checks: CloseCheck[] = [];
  const check = (name: string, ok: boolean, good: string, bad: string) =>
    checks.push({ name, ok, message: ok ? good : bad });
  const head = record.auditHead;

  const chain = await verifyAudit(db, { anchor: `${head.seq}-${head.hash}` });
  check(
    'audit chain',
    chain.ok,
    `intact through entry ${head.seq}, the close's head, and after it (${chain.checked} entries)`,
    chain.ok ? '' : `broken at entry ${chain.firstBad.seq}: ${chain.firstBad.message}`,
  );

  const entryRow = (await db('audit_log').where({ seq: head.seq }).first()) as
    Record<string, unknown> | undefined;
  const entry = entryRow ? fromRow(entryRow) : undefined;
  const body = entry?.after
    ? (JSON.parse(entry.after) as { contentHash?: string; period?: string })
    : {};
  check(
    'close entry',
    entry?.action === 'period.closed' &&
      body.period === period.name &&
      body.contentHash === record.contentHash,
    `entry ${head.seq} is the close of ${period.name} and carries its digest`,
    entry
      ? `entry ${head.seq} is not the close of ${period.name} with digest ${record.contentHash.slice(0, 12)} (the close record was edited)`
      : `entry ${head.seq}, the head at close, is gone`,
  );

  const stored = contentHash(period.name, await readContent(db, period.name));
  check(
    'close tables',
    stored === record.contentHash,
    'positions, open exceptions, corrections and journal are as closed',
    `the close tables no longer hash to the close's digest (${stored.slice(0, 12)} ≠ ${record.contentHash.slice(0, 12)}): a row was edited, added or removed`,
  );

  // reopened: corrections and postings in the period are allowed again until the next close
  const locked = record.state === 'closed';
  if (!locked)
    check(
      'state',
      true,
      `reopened by ${record.reopenedBy} at ${record.reopenedAt} (${record.reopenReason}): changes to the period are allowed until it is closed again`,
      '',
    );
  // which exceptions were open at the end, and since when; their values follow later runs
  const closedOpen = (await readContent(db, period.name)).openExceptions;
  const openNow = await openExceptionsAt(db, period);
  const key = (l: { exceptionId: number; openedAt: string }[]) =>
    l.map((e) => `${e.exceptionId}@${e.openedAt}`).join(',');
  const sameOpen = key(openNow) === key(closedOpen);
  check(
    'open at close',
    sameOpen || !locked,
    `the ${closedOpen.length} exceptions open at the end of ${period.name} are those of the close`,
    `the exceptions open at the end of ${period.name} differ from the close (${closedOpen.length} then, ${openNow.length} now): their history inside the period changed, e.g. a run dated in it was stored after the close`,
  );

  const corrections = correctionsHash(await correctionsIn(db, period));
  const same = corrections === record.correctionsHash;
  check(
    'corrections',
    same || !locked,
    same
      ? `the corrections applied in ${period.name} are those of the close`
      : `the corrections applied in ${period.name} changed since the close, while reopened`,
    `the corrections applied in ${period.name} differ from those at close (one was edited, added, reversed or removed)`,
  );

  const ledger = await ledgerDigest(db, period);
  const sameLedger = ledger.hash === record.ledgerHash;
  check(
    'ledger',
    sameLedger || !locked,
    sameLedger
      ? `${ledger.events} ledger events dated in ${period.name}, as at close`
      : `the ledger events dated in ${period.name} changed since the close, while reopened (${record.ledgerEvents} then, ${ledger.events} now)`,
    `the ledger events dated in ${period.name} changed since close (${record.ledgerEvents} at close, ${ledger.events} now, or one was edited)`,
  );

  if (locked) {
    const late = (await db('audit_log')
      .where('seq', '>', head.seq)
      .andWhere('at', '>=', period.startsAt)
      .andWhere('at', '<', period.endsAt)
      .orderBy('seq')
      .select('seq', 'action')) as { seq: number; action: string }[];
    check(
      'nothing dated into the period',
      late.length === 0,
      `no entry after the close is dated inside ${period.name}`,
      `${late.length} audit entr${late.length === 1 ? 'y' : 'ies'} after the close ${late.length === 1 ? 'is' : 'are'} dated inside ${period.name} (first: entry ${late[0]?.seq}, ${late[0]?.action})`,
    );
  }
  return { period: period.name, ok: checks.every((c) => c.ok), record, checks };
}
