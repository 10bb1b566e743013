/**
 * Rows that wait for the item master: a sku neither an item nor an alias yet, from a source
 * read before the items that name it (an API connector read whole). They are settled, in
 * arrival order, when the intake is flushed.
 */
import { textOf, type ByteTexts } from '../model/byte-texts.ts';
import type { RawEvent, RawPosition } from '../model/types.ts';

export type WaitingRow =
  { kind: 'position' | 'opening'; raw: RawPosition } | { kind: 'event'; raw: RawEvent; id: number };

export class WaitingRows {
  private rows: WaitingRow[] = [];

  get size(): number {
    return this.rows.length;
  }

  snapshot(kind: 'position' | 'opening', raw: RawPosition): void {
    this.rows.push({ kind, raw });
  }

  /**
   * An event whose source event id is `id` in the id store (`idOf` gives its string). Its id
   * and references given as byte texts (-1: in `e`) are made strings: the batch's buffers are
   * reused once it is handled.
   */
  event(
    e: RawEvent,
    id: number,
    idOf: (id: number) => string,
    texts?: ByteTexts,
    ref = -1,
    xref = -1,
  ): void {
    if (texts) {
      if (e.sourceEventId === '') e.sourceEventId = idOf(id);
      if (ref >= 0) e.reference = textOf(texts, ref);
      if (xref >= 0) e.counterpartReference = textOf(texts, xref);
    }
    this.rows.push({ kind: 'event', raw: e, id });
  }

  /** Every row waiting, in arrival order; none wait after. */
  take(): WaitingRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }
}
