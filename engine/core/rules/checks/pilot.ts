/**
 * Checks of the Owners schedules: the digest's cron and time zone, and pilot mode: a schedule group or location in pilot needs the Owners
 * `pilot.reportChannel` (the report is the only thing a pilot posts), and that channel must not
 * be an owner's channel (the point of a pilot is that owners hear nothing yet).
 */
import nodeCron from 'node-cron';
import { report } from './context.ts';
import type { CheckContext } from './context.ts';
import { isTimeZone } from './sources.ts';

/** Owners `digest`: a cron node-cron accepts and a time zone that exists. */
export function checkDigest(ctx: CheckContext): void {
  const at = ctx.docs.Owners[0];
  const doc = at?.doc.digest;
  if (!at || !doc) return;
  if (doc.cron !== undefined && !nodeCron.validate(doc.cron))
    report(ctx, at, ['digest', 'cron'], 'BAD_VALUE', `invalid cron expression "${doc.cron}"`);
  if (doc.timezone !== undefined && !isTimeZone(doc.timezone))
    report(ctx, at, ['digest', 'timezone'], 'BAD_VALUE', `unknown time zone "${doc.timezone}"`);
}

export function checkPilot(ctx: CheckContext): void {
  const owners = ctx.docs.Owners[0];
  const doc = owners?.doc.pilot;
  if (owners && doc) checkReport(ctx, doc.reportChannel);
  if (doc || !owners) return;
  const missing = 'in pilot mode, but Owners has no pilot.reportChannel for the daily pilot report';
  for (const at of ctx.docs.Sources) {
    (at.doc.schedules ?? []).forEach((s, i) => {
      if (s.pilot) report(ctx, at, ['schedules', i, 'pilot'], 'PILOT_NO_REPORT', missing);
    });
  }
  for (const at of ctx.docs.Mappings) {
    at.doc.locations.forEach((l, i) => {
      if (l.pilot) report(ctx, at, ['locations', i, 'pilot'], 'PILOT_NO_REPORT', missing);
    });
  }
}

function checkReport(ctx: CheckContext, channel: string): void {
  const at = ctx.docs.Owners[0]!;
  const doc = at.doc.pilot!;
  if (doc.reportCron !== undefined && !nodeCron.validate(doc.reportCron)) {
    const msg = `invalid cron expression "${doc.reportCron}"`;
    report(ctx, at, ['pilot', 'reportCron'], 'BAD_VALUE', msg);
  }
  if (doc.timezone !== undefined && !isTimeZone(doc.timezone)) {
    report(ctx, at, ['pilot', 'timezone'], 'BAD_VALUE', `unknown time zone "${doc.timezone}"`);
  }
  const owner = at.doc.receivers.find(
    (r) => r.slackChannel === channel || r.digestChannel === channel,
  );
  if (!owner) return;
  const msg = `report channel ${channel} is receiver "${owner.name}"'s channel: a pilot must not post where owners read; use a channel of its own`;
  report(ctx, at, ['pilot', 'reportChannel'], 'PILOT_OWNER_CHANNEL', msg);
}
