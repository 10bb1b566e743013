/**
 * The adjustment file for a system of record Tally cannot write to and whose connector has no
 * export of its own: one CSV per idempotency key, created once (a retry finds the same file).
 */
import { csvField, keyFileName, writeOnce } from '../shared/export-file.ts';
import type { WriteBackRequest } from '../types.ts';

const HEADER =
  'idempotency_key,source,sku,location,raw_status,delta,seen_quantity,reason_code,reference';

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
  return `${HEADER}\n${row.map(csvField).join(',')}\n`;
}

export function writeCsvExport(dir: string, source: string, r: WriteBackRequest): string {
  return writeOnce(dir, keyFileName(`correction-${source}`, r.idempotencyKey, 'csv'), () =>
    correctionCsv(source, r),
  );
}
