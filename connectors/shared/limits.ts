/**
 * Bounds on what one line, one field and one record of a data file may hold. A file is a
 * customer's export, not a trusted input: one runaway line (a 200 MB line once took minutes and
 * a gigabyte) or one stray quote (which would swallow every line up to the next quote) must cost
 * that line, never the file or the run. Each bound is a per-file setting (`limits:`) with a
 * default far above what real exports hold.
 */
import type { FileMapping } from '../../engine/core/rules/types.ts';

export type ReadLimits = {
  /** Characters in one physical line, line ending excluded. */
  maxLineChars: number;
  /** Characters in one mapped cell of a delimited file. */
  maxFieldChars: number;
  /** Physical lines one record may span (a quoted field with line breaks). */
  maxRecordLines: number;
};

export const DEFAULT_LIMITS: ReadLimits = {
  maxLineChars: 1_048_576,
  maxFieldChars: 4_096,
  maxRecordLines: 100,
};

export function limitsOf(mapping: Pick<FileMapping, 'limits'>): ReadLimits {
  return { ...DEFAULT_LIMITS, ...(mapping.limits ?? {}) };
}

/**
 * A UTF-8 character takes at most 4 bytes, so a line of more bytes than this surely exceeds
 * `maxLineChars`: the byte readers drop it without decoding it, which bounds their memory.
 */
export function maxLineBytes(limits: ReadLimits): number {
  return limits.maxLineChars * 4;
}
