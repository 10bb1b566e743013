/**
 * Rows that wait for the item master: a sku neither an item nor an alias yet, from a source
 * read before the items that name it (an API connector read whole). They are settled, in
 * arrival order, when the intake is flushed.
 */
import { textOf } from '../model/byte-texts.ts';
import type { EventParts } from '../model/event-parts.ts';
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
   * An event whose source event id is `id` in the id store (`idOf` gives its string). Its parts
   * as a reading thread sent them go into the record, as texts: `parts` is the replay's one
   * object, refilled for the next event, and holding its texts would keep the batch's buffers.
   */
  event(e: RawEvent, id: number, idOf: (id: number) => string, parts?: EventParts): void {
    if (parts) {
      if (e.sourceEventId === '') e.sourceEventId = idOf(id);
      if (parts.ref >= 0) e.reference = textOf(parts.texts, parts.ref);
      if (parts.xref >= 0) e.counterpartReference = textOf(parts.texts, parts.xref);
      if (parts.occurredMs === parts.occurredMs)
        e.occurredAt = new Date(parts.occurredMs).toISOString();
      if (parts.recordedMs === parts.recordedMs)
        e.recordedAt = new Date(parts.recordedMs).toISOString();
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
