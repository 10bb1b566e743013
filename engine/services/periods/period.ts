/**
 * Accounting periods are calendar months in UTC, named `YYYY-MM`. A period runs from its first
 * instant to the first instant of the next month (exclusive); its close is as of its last
 * millisecond, the `until` that KPIs of the same period use.
 */
import { InputError } from '../../core/errors.ts';

export type Period = {
  /** `2026-11` */
  name: string;
  /** First instant, inclusive: `2026-11-01T00:00:00.000Z`. */
  startsAt: string;
  /** First instant of the next period, exclusive: `2026-12-01T00:00:00.000Z`. */
  endsAt: string;
  /** The last millisecond in the period: the as-of of its close. */
  asOf: string;
};

const NAME = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parsePeriod(name: string, option = '--period'): Period {
  const m = NAME.exec(name.trim());
  if (!m)
    throw new InputError(
      'BAD_PERIOD',
      `${option} must be a month written YYYY-MM (for example 2026-11), got "${name}"`,
    );
  return periodOf(Number(m[1]), Number(m[2]));
}

function periodOf(year: number, month: number): Period {
  const start = Date.UTC(year, month - 1, 1);
  const end = Date.UTC(year, month, 1);
  return {
    name: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    asOf: new Date(end - 1).toISOString(),
  };
}

/** The period an ISO time falls in. */
export function periodContaining(at: string): Period {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new InputError('BAD_TIME', `not an ISO time: "${at}"`);
  return periodOf(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

export function nextPeriod(p: Period): Period {
  return periodContaining(p.endsAt);
}

export function contains(p: Period, at: string): boolean {
  const t = Date.parse(at);
  return t >= Date.parse(p.startsAt) && t < Date.parse(p.endsAt);
}
