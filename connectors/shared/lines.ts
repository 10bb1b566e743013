/** Splits decoded text into lines (LF or CRLF) for line formats such as JSON Lines. */
export type LineHandler = (text: string, line: number) => void;

export class LineSplitter {
  private carry = '';
  private line = 1;

  constructor(private readonly onLine: LineHandler) {}

  push(text: string): void {
    this.run(this.carry ? this.carry + text : text, false);
  }

  end(): void {
    this.run(this.carry, true);
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
      if (end > pos) this.onLine(s.slice(pos, end), this.line);
      this.line++;
      pos = nl + 1;
    }
    this.carry = pos < s.length ? s.slice(pos) : '';
  }
}
