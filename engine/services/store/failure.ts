/**
 * Telling a lost database from a defect, without loading a driver: every command's error
 * report (cli/errors.ts) asks this, including those that never open a database.
 */
import { ExternalError } from '../../core/errors.ts';

/** Codes and messages of a database that went away or refused us: the database's failure, not ours. */
const LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server was stopped or the backend terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, failing over
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '28P01',
  '3D000',
  'SQLITE_BUSY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
]);
const LOST_MESSAGES =
  /Connection terminated|connection error|Timeout acquiring a connection|does not support SSL|SSL|self[- ]signed certificate|server closed the connection|Connection ended unexpectedly/i;

/**
 * The database failure behind `error` (through its causes) as an ExternalError, or null when the
 * error is something else. Lets a lost or refusing database exit as an outside failure (3).
 */
export function databaseFailure(error: unknown): ExternalError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ExternalError) return e;
    const code = String((e as { code?: unknown }).code ?? '');
    const message = String((e as { message?: unknown }).message ?? '');
    if (LOST_CODES.has(code) || (e instanceof Error && LOST_MESSAGES.test(message)))
      return new ExternalError(
        'database',
        'DB_UNAVAILABLE',
        `the database failed: ${message || code}`,
        {
          cause: error,
          retryable: true,
        },
      );
  }
  return null;
}
