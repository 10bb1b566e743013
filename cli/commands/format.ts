/** Option parsing shared by the storage commands (exceptions, kpi, audit). */
import { InputError } from '../../engine/core/errors.ts';
import { parseAgeMinutes } from '../../engine/services/exceptions/query.ts';

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    'BAD_OPTION',
    `${flag} must be one of ${allowed.join(', ')}, got "${value}"`,
  );
}

/**
 * A time bound: ISO time, a date (start of day, or end of day for an upper bound), or an age
 * back from now such as 30d or 12h.
 */
export function timeBound(
  flag: string,
  value: string | undefined,
  end: boolean,
  now = Date.now(),
): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+[mhd]$/.test(value))
    return new Date(now - parseAgeMinutes(value) * 60_000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InputError(
      'BAD_TIME',
      `${flag} must be an ISO time, a date (2026-11-01) or an age (30d), got "${value}"`,
    );
  return new Date(ms).toISOString();
}
