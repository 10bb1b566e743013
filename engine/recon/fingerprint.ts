import { createHash } from 'node:crypto';

/** Stable identity of a finding across runs: sha256(sku|location|bucket|source|cause), 16 hex. */
export function fingerprint(
  sku: string,
  location: string,
  bucket: string,
  source: string,
  cause: string,
): string {
  return createHash('sha256')
    .update(`${sku}|${location}|${bucket}|${source}|${cause}`)
    .digest('hex')
    .slice(0, 16);
}
