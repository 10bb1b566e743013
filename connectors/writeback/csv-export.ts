/**
 * The adjustment file for a system of record Tally cannot write to and whose connector has no
 * export of its own: one CSV per idempotency key, created once (a retry finds the same file).
 */
import { existsSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WriteBackRequest } from '../types.ts';

const HEADER =
  'idempotency_key,source,sku,location,raw_status,delta,seen_quantity,reason_code,reference';

const field = (v: string | number) => {
  const s = Number.isNaN(v) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function correctionCsv(source: string, r: WriteBackRequest): string {
  const row = [
    r.idempotencyKey,
    source,
    r.sku,
    r.location,
    r.rawStatus,
    r.delta,
    r.expectedCurrent,
    r.reasonCode,
    r.reference,
  ];
  return `${HEADER}\n${row.map(field).join(',')}\n`;
}

export function writeCsvExport(dir: string, source: string, r: WriteBackRequest): string {
  const folder = resolve(dir);
  const name = r.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
  const path = join(folder, `correction-${source}-${name}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(folder, { recursive: true });
  // written aside and linked into place: the file appears whole, and only once
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, correctionCsv(source, r));
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return path;
}
