/**
 * Splits decoded text into lines (LF or CRLF) for line formats such as JSON Lines. A line over
 * `maxLineChars` is not handed on as text: `onLine` gets its start and the reason instead.
 */
import { DEFAULT_LIMITS } from './limits.ts';

export type LineHandler = (text: string, line: number, problem?: string) => void;

const SHOWN_CHARS = 200;

export class LineSplitter {
  private carry = '';
  private line = 1;

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineChars = DEFAULT_LIMITS.maxLineChars,
  ) {}

  push(text: string): void {
    this.run(this.carry ? this.carry + text : text, false);
  }

  /** The number of the next line. */
  get nextLine(): number {
    return this.line;
  }

  /** Characters of an unfinished line waiting for the rest of it. */
  get carried(): number {
    return this.carry.length;
  }

  /** Counts `n` lines read elsewhere (json-lane.ts). */
  skipLines(n: number): void {
    this.line += n;
  }

  end(): void {
    this.run(this.carry, true);
  }

  /** A line dropped undecoded by the byte reader for its length (byte-stream.ts). */
  overlong(prefix: string, bytes: number): void {
    this.run(this.carry, true);
    this.onLine(prefix, this.line, this.tooLong(bytes, 'bytes'));
    this.line++;
  }

  private run(s: string, final: boolean): void {
    let pos = 0;
    while (pos < s.length) {
      let nl = s.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = s.length;
      }
      const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - pos > this.maxLineChars) {
        this.onLine(s.slice(pos, pos + SHOWN_CHARS), this.line, this.tooLong(end - pos, 'chars'));
      } else if (end > pos) this.onLine(s.slice(pos, end), this.line);
      this.line++;
      pos = nl + 1;
    }
    this.carry = pos < s.length ? s.slice(pos) : '';
  }

  private tooLong(size: number, unit: string): string {
    return `the line is ${size} ${unit === 'chars' ? 'characters' : unit} long, over the limit of ${this.maxLineChars} characters (limits.maxLineChars); the line is rejected`;
  }
}
