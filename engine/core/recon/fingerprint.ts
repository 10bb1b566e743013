import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;
// crypto.hash (Node ≥ 20.12) skips the Hash object a digest otherwise costs per finding
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Stable identity of a finding across runs: sha256(sku|location|bucket|source|cause), 16 hex. */
export function fingerprint(
  sku: string,
  location: string,
  bucket: string,
  source: string,
  cause: string,
): string {
  return sha256Hex(`${sku}|${location}|${bucket}|${source}|${cause}`).slice(0, 16);
}
