/**
 * Approved corrections for a 3PL that Tally cannot write to: a 947 Warehouse Inventory
 * Adjustment Advice (built with node-x12's X12Interchange, which pads ISA and writes the
 * SE/GE/IEA counts) or a CSV the 3PL's portal can import. One file per idempotency key:
 * a second export of the same key returns the existing file, so a retry never sends twice.
 */
import { createHash } from 'node:crypto';
import { X12Interchange } from 'node-x12';
import type { X12SerializationOptions } from 'node-x12';
import { csvField, keyFileName, writeOnce } from '../shared/export-file.ts';
import type { WriteBackRequest } from '../types.ts';
import { w19CodeFor } from './reasons.ts';
import type { X12Settings } from './settings.ts';

export type Export947Options = {
  senderId?: string;
  receiverId?: string;
  /** Interchange/group control number (1–999999999); derived from the keys when absent. */
  controlNumber?: number;
  now?: Date;
  /** Production (P) or test (T) indicator, ISA15. */
  usage?: 'P' | 'T';
};

const OPTIONS = {
  segmentTerminator: '~',
  elementDelimiter: '*',
  subElementDelimiter: '>',
  repetitionDelimiter: 'U',
  endOfLine: '\n',
  format: true,
} as X12SerializationOptions;

const clean = (v: string, max: number) => v.replace(/[*~>\n\r]/g, ' ').slice(0, max);

export function controlNumberFor(keys: string[]): number {
  const digest = createHash('sha256').update(keys.join('\n')).digest();
  return (digest.readUInt32BE(0) % 999_999_999) + 1;
}

export function exportCorrection947(
  corrections: WriteBackRequest[],
  options: Export947Options = {},
): string {
  if (corrections.length === 0)
    throw new Error('exportCorrection947 needs at least one correction');
  const now = options.now ?? new Date();
  const iso = now.toISOString();
  const yymmdd = iso.slice(2, 10).replaceAll('-', '');
  const ccyymmdd = iso.slice(0, 10).replaceAll('-', '');
  const hhmm = iso.slice(11, 16).replace(':', '');
  const control =
    options.controlNumber ?? controlNumberFor(corrections.map((c) => c.idempotencyKey));
  const sender = clean(options.senderId ?? 'TALLY', 15);
  const receiver = clean(options.receiverId ?? 'THREEPL', 15);
  const ic = new X12Interchange(OPTIONS);
  ic.setHeader([
    '00',
    '',
    '00',
    '',
    'ZZ',
    sender,
    'ZZ',
    receiver,
    yymmdd,
    hhmm,
    'U',
    '00401',
    String(control).padStart(9, '0'),
    '0',
    options.usage ?? 'P',
    '>',
  ]);
  const group = ic.addFunctionalGroup();
  group.setHeader(['AW', sender, receiver, ccyymmdd, hhmm, String(control), 'X', '004010']);
  corrections.forEach((c, i) => {
    const tx = group.addTransaction();
    tx.setHeader(['947', String(i + 1).padStart(4, '0')]);
    tx.addSegment('W15', [ccyymmdd, '', clean(adjustmentId(c.idempotencyKey), 22)]);
    tx.addSegment('N1', ['WH', clean(c.location, 60)]);
    tx.addSegment('N9', ['ZZ', clean(c.reference, 30)]);
    tx.addSegment('W19', [
      w19CodeFor(c.reasonCode),
      String(c.delta),
      'EA',
      '',
      'SK',
      clean(c.sku, 48),
    ]);
  });
  return ic.toString(OPTIONS);
}

/** Short, stable depositor adjustment number (W15-03 allows 22 characters). */
export function adjustmentId(idempotencyKey: string): string {
  const plain = idempotencyKey.replace(/[^A-Za-z0-9-]/g, '');
  if (plain.length <= 22) return plain;
  return `T${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 21)}`;
}

const CSV_HEADER = [
  'idempotency_key',
  'sku',
  'location',
  'raw_status',
  'delta',
  'expected_current',
  'reason_code',
  'w19_reason_code',
  'reference',
];

export function exportCorrectionCsv(corrections: WriteBackRequest[]): string {
  const rows = corrections.map((c) =>
    [
      c.idempotencyKey,
      c.sku,
      c.location,
      c.rawStatus,
      c.delta,
      c.expectedCurrent,
      c.reasonCode,
      w19CodeFor(c.reasonCode),
      c.reference,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[CSV_HEADER.join(','), ...rows].join('\n')}\n`;
}

/** Writes the export for one correction unless it exists already; returns its path. */
export function writeCorrectionExport(settings: X12Settings, request: WriteBackRequest): string {
  const csv = settings.exportFormat === 'csv';
  const name = keyFileName('947', request.idempotencyKey, csv ? 'csv' : 'edi');
  return writeOnce(settings.exportDir, name, () =>
    csv
      ? exportCorrectionCsv([request])
      : exportCorrection947([request], {
          senderId: settings.senderId,
          receiverId: settings.receiverId,
        }),
  );
}
