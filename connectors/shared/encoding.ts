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
  return decodeWindows1252(bytes);
}

/**
 * A decoder of whole pieces of text (lines, or pieces cut at line feeds) in `encoding`.
 * Windows-1252 is decoded here, not by TextDecoder: Node 20.18.3 and later decode it as
 * ISO-8859-1 (nodejs/node#56542, #60888), so 0x80–0x9F, Windows-1252's ’ “ ” – — € ™ Œ Š Ž,
 * came out as invisible control characters (`Men’s` read as `Men\u0092s`). ISO-8859-1 is read
 * as Windows-1252 too, as the Encoding Standard says: a file that says Latin-1 and holds those
 * bytes was written on Windows.
 */
export function decoderFor(encoding: TextEncoding): (bytes: Uint8Array) => string {
  if (encoding === 'windows-1252' || encoding === 'iso-8859-1') return decodeWindows1252;
  if (encoding === 'utf-8')
    return (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  const decoder = new TextDecoder(encoding);
  return (bytes) => decoder.decode(bytes);
}

/** Windows-1252's characters at 0x80–0x9F (the Encoding Standard's index; the five it leaves unassigned map to themselves). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\x80-\x9f]/g;
const cp1252High = (c: string) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!);

/** Windows-1252 bytes as text: Latin-1's, but for 0x80–0x9F. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  C1.lastIndex = 0;
  return C1.test(latin1) ? latin1.replace(C1, cp1252High) : latin1;
}

/** Why a record holding bytes that are not UTF-8 is refused, and what to set. */
export const NOT_UTF8 =
  "bytes that are not UTF-8; if the source writes a legacy encoding (Windows-1252, ISO-8859-1; Amazon's reports for Japan: Shift_JIS), set the source's settings.encoding";
