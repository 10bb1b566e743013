/**
 * The audit chain's key. With TALLY_AUDIT_KEY set (at least 16 characters, kept outside the
 * database: a secret store, the service's environment), every new entry's hash is an
 * HMAC-SHA256 under it, so someone who can edit the database cannot recompute the chain after
 * changing a row. Without it entries are chained with plain sha256, as before (scheme 1).
 */
import { createHmac } from 'node:crypto';
import { InputError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/model/canonical.ts';

export const AUDIT_KEY_ENV = 'TALLY_AUDIT_KEY';
const MIN_KEY_CHARS = 16;

/** 1: sha256(prev + body); 2: HMAC-SHA256(key, prev + body with the scheme in it). */
export type AuditScheme = 1 | 2;

export function auditKey(env: NodeJS.ProcessEnv = process.env): string | null {
  const key = env[AUDIT_KEY_ENV];
  if (!key) return null;
  if (key.length < MIN_KEY_CHARS)
    throw new InputError(
      'AUDIT_KEY_SHORT',
      `${AUDIT_KEY_ENV} must be at least ${MIN_KEY_CHARS} characters (use a random value, e.g. openssl rand -hex 32)`,
    );
  return key;
}

export function chainHash(
  scheme: AuditScheme,
  key: string | null,
  prevHash: string,
  body: string,
): string {
  if (scheme === 1) return sha256Hex(prevHash + body);
  if (!key)
    throw new InputError(
      'AUDIT_KEY_MISSING',
      `keyed audit entries need ${AUDIT_KEY_ENV}, the key they were written with`,
    );
  return createHmac('sha256', key)
    .update(prevHash + body)
    .digest('hex');
}
