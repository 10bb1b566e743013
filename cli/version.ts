import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../engine/core/package-root.ts';

export function readPackageVersion(): string {
  const url = fromPackageRoot('package.json');
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
