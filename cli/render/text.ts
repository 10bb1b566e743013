/** Small text helpers for terminal output that stays inside 80 columns. */
import { type Currency, formatMoney } from '../../engine/core/model/money.ts';

export const WIDTH = 80;

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtSigned(n: number): string {
  return n > 0 ? `+${fmtInt(n)}` : fmtInt(n);
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** An amount in minor units with its currency, exact: 64218 → "$642.18". */
export function fmtMoney(minor: number, currency?: Currency | string): string {
  return formatMoney(minor, currency);
}

/** Cuts a line to the width, marking the cut with an ellipsis. */
export function clip(text: string, width = WIDTH): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * A plain table: first column left-aligned, the others right-aligned, two spaces apart.
 * Rows wider than the width are clipped, never wrapped.
 */
export function table(header: string[], rows: string[][], indent = '  '): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    clip(
      indent +
        r
          .map((cell, c) => (c === 0 ? padEnd(cell, widths[c]!) : padStart(cell, widths[c]!)))
          .join('  ')
          .trimEnd(),
    );
  return [line(header), ...rows.map(line)];
}

/** Lays two blocks of lines side by side when both fit in the width, else one after another. */
export function sideBySide(left: string[], right: string[], gap = 4): string[] {
  const leftWidth = Math.max(0, ...left.map((l) => l.length));
  const rightWidth = Math.max(0, ...right.map((l) => l.length));
  if (leftWidth + gap + rightWidth > WIDTH) return [...left, ...right];
  const rows = Math.max(left.length, right.length);
  return Array.from({ length: rows }, (_, i) =>
    (padEnd(left[i] ?? '', leftWidth + gap) + (right[i] ?? '')).trimEnd(),
  );
}

/** Joins parts with a separator, starting a new indented line when the next part would not fit. */
export function wrapParts(first: string, parts: string[], sep = ' · ', indent = '  '): string[] {
  const lines: string[] = [];
  let line = first;
  for (const part of parts) {
    const next = line.trim() === '' || line === first ? line + part : line + sep + part;
    if (next.length > WIDTH && line.trim() !== '') {
      lines.push(line);
      line = indent + part;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines;
}
