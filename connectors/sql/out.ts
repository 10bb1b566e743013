/**
 * Delivers rows to the sink and keeps one FileSummary per table read. The sha256 covers the
 * delivered records, so a run's input hash changes exactly when the data read changes.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { FileSummary, RejectedKey, Sink } from '../types.ts';
import type { RawEvent, RawPosition } from '../../engine/core/model/types.ts';

export type Out = {
  /** One row read: its positions and events (events after asOf are held back). */
  accept(label: string, positions: RawPosition[], events: RawEvent[]): { heldBack: boolean };
  /**
   * One row refused. `keys` are the (sku, location) it would have delivered, where they can
   * still be read: those keys are then incomplete for the run, not zero.
   */
  reject(
    label: string,
    line: number,
    reason: string,
    row: unknown,
    refused?: { kind: 'positions' | 'events'; keys: RejectedKey[] },
  ): void;
  summaries(): FileSummary[];
};

export function createOut(sink: Sink, asOf: string | undefined, sourceId: string): Out {
  const files = new Map<string, { summary: FileSummary; hash: Hash }>();
  const file = (label: string) => {
    let f = files.get(label);
    if (!f) {
      f = {
        summary: { file: label, sha256: '', read: 0, accepted: 0, rejected: 0 },
        hash: createHash('sha256'),
      };
      files.set(label, f);
    }
    return f;
  };
  return {
    accept(label, positions, events) {
      const f = file(label);
      f.summary.read++;
      f.summary.accepted++;
      let heldBack = false;
      for (const p of positions) {
        f.hash.update(JSON.stringify(p));
        sink.position(p);
      }
      for (const e of events) {
        if (asOf && e.occurredAt > asOf) {
          heldBack = true;
          continue;
        }
        f.hash.update(JSON.stringify(e));
        sink.event(e);
      }
      return { heldBack };
    },
    reject(label, line, reason, row, refused) {
      const f = file(label);
      f.summary.read++;
      f.summary.rejected++;
      sink.reject({
        file: label,
        line,
        reason,
        raw: JSON.stringify(row),
        source: sourceId,
        ...(refused ? { kind: refused.kind, keys: refused.keys } : {}),
      });
    },
    summaries() {
      return [...files.values()].map((f) => ({ ...f.summary, sha256: f.hash.digest('hex') }));
    },
  };
}

/** A numeric column (pg returns numeric as text); undefined when not a number. */
export function num(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export const str = (value: unknown): string | undefined =>
  value === null || value === undefined || String(value).trim() === ''
    ? undefined
    : String(value).trim();
