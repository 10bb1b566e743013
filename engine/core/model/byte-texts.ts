/**
 * Texts carried as Latin-1 bytes, each with its hash: how a reading thread sends a batch's
 * event ids and references (millions at 1M keys, almost none repeating). A sink that keeps
 * such texts as bytes (event-ids.ts) takes them as they are, with no string made on either
 * thread; any other is given their strings.
 */
export type ByteTexts = {
  readonly bytes: Uint8Array;
  /** Text k is bytes [ends[k - 1], ends[k]) (from 0 for the first). */
  readonly ends: Int32Array;
  /** Text k's textHash. */
  readonly hashes: Int32Array;
};

/** Texts longer than this stay strings (a byte copy buys nothing for them). */
const MAX_TEXT_BYTES = 256;

/**
 * Whether `s` travels and is kept as bytes: not empty, at most MAX_TEXT_BYTES long, Latin-1.
 * Both ends decide by this one rule, so a text is bytes everywhere or a string everywhere and
 * its two forms never meet in one set.
 */
export function isByteText(s: string): boolean {
  if (s.length === 0 || s.length > MAX_TEXT_BYTES) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * FNV-1a over a text's UTF-16 code units: the same as over its Latin-1 bytes (sink-wire.ts
 * makes it so while it copies them).
 */
export function textHash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** Where text `k` starts in its bytes. */
export function textStart(texts: ByteTexts, k: number): number {
  return k === 0 ? 0 : (texts.ends[k - 1] as number);
}

/** Text `k` as a string. */
export function textOf(texts: ByteTexts, k: number): string {
  return latin1Of(texts.bytes, textStart(texts, k), texts.ends[k] as number);
}

/** Latin-1 bytes [from, to) as one flat string (a short text's codes at once, no rope). */
export function latin1Of(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
}
