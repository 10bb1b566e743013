/**
 * Text encodings a connector reading its own files may be told (`settings.encoding`): vendors
 * that write in a legacy encoding (Amazon's reports for the Americas and Europe in
 * Windows-1252, Japan's in Shift_JIS; some 3PLs' EDI in ISO-8859-1). Read as UTF-8 (the
 * default), bytes that are not UTF-8 are refused with the hint to set it, never read with
 * their letters replaced; the refused record's key is read as Windows-1252 (`likelyText`), what
 * such bytes most often are, so that key is left incomplete rather than compared as zero.
 */

/** TextDecoder labels, lowercase. */
export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1', 'shift_jis'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** A settings problem, or undefined when `value` is absent or one of `allowed` (any case). */
export function encodingProblem(
  value: unknown,
  where: string,
  allowed: readonly TextEncoding[] = TEXT_ENCODINGS,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value.toLowerCase()))
    return undefined;
  return `${where}.encoding: expected one of ${allowed.join(', ')}`;
}

/** The checked setting as a TextDecoder label (utf-8 when absent). */
export function encodingOf(value: unknown): TextEncoding {
  return typeof value === 'string' ? (value.toLowerCase() as TextEncoding) : 'utf-8';
}

/** Bytes that are not UTF-8 as they most likely read (Windows-1252): to name a key, not to take data. */
export function likelyText(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes);
}

/** Why a record holding bytes that are not UTF-8 is refused, and what to set. */
export const NOT_UTF8 =
  "bytes that are not UTF-8; if the source writes a legacy encoding (Windows-1252, ISO-8859-1; Amazon's reports for Japan: Shift_JIS), set the source's settings.encoding";
