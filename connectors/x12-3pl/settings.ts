/** Settings of an `x12-3pl` source, checked once and turned into a structure that is valid. */
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { InputError } from '../../engine/core/errors.ts';
import { encodingOf, encodingProblem, type TextEncoding } from '../shared/encoding.ts';
import { checkW19Rule, compileW19Rule, type W19Rule } from './reasons.ts';

export type X12Statuses = { available: string; damaged: string; hold: string };

export type X12Settings = {
  /** Files or folders (every *.edi, *.x12, *.txt inside) relative to the data folder. */
  paths: string[];
  /** Location code used when a transaction set names no warehouse (N1*WH). */
  defaultLocation?: string;
  /** Product id qualifiers tried in order for the sku (LIN, W07, W12, W19 pairs). */
  skuQualifiers: string[];
  /** Raw statuses written on events; the source's StatusMap maps them like the 846 qualifiers. */
  statuses: X12Statuses;
  /** Where write-back exports go (relative to the data folder unless absolute). */
  exportDir: string;
  exportFormat: '947' | 'csv';
  senderId: string;
  receiverId: string;
  /** This partner's own W19-01 codes (code → rule), over the default table. */
  reasonCodes: Map<string, W19Rule>;
  /** How the files' bytes are written: UTF-8 (default) or a one-byte Latin encoding. */
  encoding: TextEncoding;
};

/**
 * One-byte encodings only: in a two-byte one (Shift_JIS) a character's second byte can be an
 * X12 delimiter (`~` is 0x7e).
 */
const X12_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'iso-8859-1', 'windows-1252'];

const DEFAULT_QUALIFIERS = ['SK', 'VN', 'BP', 'UP', 'IN', 'EN', 'UK'];
const DEFAULT_STATUSES: X12Statuses = { available: '33', damaged: 'damaged', hold: 'hold' };

const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);

export function checkX12Settings(source: SourceDef): string[] {
  const s = source.settings;
  const problems: string[] = [];
  if (!isStringList(s.paths) || s.paths.length === 0)
    problems.push('settings.paths: expected a non-empty list of files or folders');
  for (const key of ['defaultLocation', 'exportDir', 'senderId', 'receiverId'] as const)
    if (s[key] !== undefined && typeof s[key] !== 'string')
      problems.push(`settings.${key}: expected a string`);
  if (s.skuQualifiers !== undefined && !isStringList(s.skuQualifiers))
    problems.push('settings.skuQualifiers: expected a list of 2-letter qualifiers, e.g. [SK, VN]');
  if (s.exportFormat !== undefined && s.exportFormat !== '947' && s.exportFormat !== 'csv')
    problems.push(
      `settings.exportFormat: expected "947" or "csv", got ${JSON.stringify(s.exportFormat)}`,
    );
  if (s.statuses !== undefined) {
    const st = s.statuses as Record<string, unknown>;
    if (typeof st !== 'object' || st === null)
      problems.push('settings.statuses: expected a map {available, damaged, hold}');
    else
      for (const [k, v] of Object.entries(st))
        if (!(k in DEFAULT_STATUSES) || typeof v !== 'string')
          problems.push(`settings.statuses.${k}: expected one of available/damaged/hold → string`);
  }
  const codes = s.reasonCodes;
  if (codes !== undefined) {
    if (typeof codes !== 'object' || codes === null || Array.isArray(codes))
      problems.push(
        'settings.reasonCodes: expected a map of W19-01 code → { action, reason?, from?, to? }',
      );
    else for (const [code, v] of Object.entries(codes)) problems.push(...checkW19Rule(code, v));
  }
  const encoding = encodingProblem(s.encoding, 'settings', X12_ENCODINGS);
  if (encoding) problems.push(encoding);
  for (const key of ['senderId', 'receiverId'] as const) {
    const v = s[key];
    if (typeof v === 'string' && (v.length > 15 || v.includes('*') || v.includes('~')))
      problems.push(`settings.${key}: at most 15 characters, no * or ~`);
  }
  return problems;
}

export function parseX12Settings(source: SourceDef): X12Settings {
  const problems = checkX12Settings(source);
  if (problems.length > 0)
    throw new InputError('X12_BAD_SETTINGS', `source ${source.id}: ${problems.join('; ')}`, {
      file: source.file,
      line: source.line,
    });
  const s = source.settings;
  return {
    paths: s.paths as string[],
    defaultLocation: s.defaultLocation as string | undefined,
    skuQualifiers: (s.skuQualifiers as string[] | undefined) ?? DEFAULT_QUALIFIERS,
    statuses: { ...DEFAULT_STATUSES, ...(s.statuses as Partial<X12Statuses> | undefined) },
    exportDir: (s.exportDir as string | undefined) ?? 'exports',
    exportFormat: (s.exportFormat as '947' | 'csv' | undefined) ?? '947',
    senderId: (s.senderId as string | undefined) ?? 'TALLY',
    receiverId: (s.receiverId as string | undefined) ?? source.id.toUpperCase().slice(0, 15),
    reasonCodes: new Map(
      Object.entries((s.reasonCodes ?? {}) as Record<string, Record<string, unknown>>).map(
        ([code, v]) => [code, compileW19Rule(code, v)],
      ),
    ),
    encoding: encodingOf(s.encoding),
  };
}
