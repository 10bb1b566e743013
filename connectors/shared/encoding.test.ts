import { describe, expect, it } from 'vitest';
import { decodeWindows1252, decoderFor, likelyText } from './encoding.ts';

/** The Encoding Standard's index-windows-1252 at 0x80–0x9F (encoding.spec.whatwg.org). */
const SPEC_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

describe('Windows-1252 decoding', () => {
  it('reads every byte as the Encoding Standard says, 0x80–0x9F included', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decodeWindows1252(all);
    expect(text.length).toBe(256);
    for (let b = 0; b < 256; b++) {
      const expected = b >= 0x80 && b <= 0x9f ? SPEC_HIGH[b - 0x80] : String.fromCharCode(b);
      expect([b, text[b]]).toEqual([b, expected]);
    }
  });

  it('is what windows-1252 and iso-8859-1 settings read, and what a key is named by', () => {
    const bytes = Uint8Array.from([0x4d, 0x45, 0x4e, 0x92, 0x53, 0x20, 0xc9, 0x96]);
    expect(decoderFor('windows-1252')(bytes)).toBe('MEN’S É–');
    expect(decoderFor('iso-8859-1')(bytes)).toBe('MEN’S É–');
    expect(likelyText(bytes)).toBe('MEN’S É–');
    // a view into a larger buffer reads only its own bytes
    expect(decodeWindows1252(bytes.subarray(3, 5))).toBe('’S');
  });

  it('reads UTF-8 and Shift_JIS through the platform', () => {
    expect(decoderFor('utf-8')(Buffer.from('Café ’'))).toBe('Café ’');
    expect(decoderFor('shift_jis')(Uint8Array.from([0x83, 0x52, 0x81, 0x5b, 0x83, 0x71]))).toBe(
      'コーヒ',
    );
  });
});
