/**
 * The receiving side of sink-wire.ts: one batch replayed into the sink, each record rebuilt with
 * the fields, in the order, that records.ts gives it, so the sink cannot tell a record read on
 * the reading thread from one read here. A sink that takes an event's parts (Sink.eventParts)
 * gets the event ids and references as byte texts and the times as milliseconds, as they came.
 */
import { textOf } from '../../engine/core/model/byte-texts.ts';
import type { EventParts } from '../../engine/core/model/event-parts.ts';
import type { EventType, Item, RawEvent, RawPosition } from '../../engine/core/model/types.ts';
import type { ReadProgress, RejectedRecord, Sink } from '../types.ts';
import {
  BYTE_TEXT,
  EVENT,
  EVENT_INTS,
  EVENT_NUMS,
  EXPECT,
  IN_NUMS,
  ITEM,
  ITEM_INTS,
  OPENING,
  POSITION,
  POSITION_INTS,
  PROGRESS,
  REJECT,
  type WireBatch,
} from './sink-wire.ts';

/**
 * One string object for every copy of a text of few values (a source, a file, a status, a
 * location) that the batches bring: each batch's strings are new objects, so every row's
 * compare with what the sink kept from an earlier batch (its last source and file, its maps'
 * keys) read the texts character by character; the same object compares by reference.
 */
const sharedWords = new Map<string, string>();
const SHARED_WORDS = 10_000;

function shared(word: string): string {
  const known = sharedWords.get(word);
  if (known !== undefined) return known;
  if (sharedWords.size >= SHARED_WORDS) sharedWords.clear();
  sharedWords.set(word, word);
  return word;
}

/** The receiving side: replays one batch into the sink, in the order the calls were made. */
export function replayBatch(
  batch: WireBatch,
  sink: Sink,
  onProgress?: (p: ReadProgress) => void,
): void {
  const { ops, ints, nums, strings, texts, objects } = batch;
  for (const k of batch.words) strings[k] = shared(strings[k]!);
  const str = (id: number): string | undefined => (id < 0 ? undefined : strings[id]);
  // a sink that takes an event's parts gets them as they came; any other their strings
  const takesParts = sink.eventParts !== undefined;
  const text = (id: number): string | undefined =>
    id <= BYTE_TEXT ? (takesParts ? undefined : textOf(texts, BYTE_TEXT - id)) : str(id);
  const textNumber = (id: number): number => (id <= BYTE_TEXT ? BYTE_TEXT - id : -1);
  // a time sent as milliseconds: the text it was written as (toISOString's), for a sink that reads texts
  const time = (slot: number, ms: number): string | undefined =>
    slot === IN_NUMS ? (takesParts ? '' : new Date(ms).toISOString()) : str(slot);
  // valid for the one call: the sink copies what it keeps
  const parts: EventParts = { texts, id: -1, ref: -1, xref: -1, occurredMs: NaN, recordedMs: NaN };
  let i = 0;
  let q = 0;
  let o = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op === POSITION || op === OPENING) {
      const file = str(ints[i + 6]!);
      const p: RawPosition = {
        source: str(ints[i]!)!,
        sku: str(ints[i + 1]!)!,
        location: str(ints[i + 2]!)!,
        status: str(ints[i + 3]!)!,
        quantity: nums[q++]!,
        unit: str(ints[i + 4]!),
        asOf: str(ints[i + 5]!)!,
      };
      if (file !== undefined) p.origin = { file, line: ints[i + 7]! };
      i += POSITION_INTS;
      if (op === POSITION) sink.position(p);
      else sink.opening(p);
    } else if (op === EVENT) {
      const file = str(ints[i + 14]!);
      const idSlot = ints[i + 1]!;
      const refSlot = ints[i + 11]!;
      const xrefSlot = ints[i + 13]!;
      const quantity = nums[q]!;
      const occurredMs = nums[q + 1]!;
      const recordedMs = nums[q + 2]!;
      q += EVENT_NUMS;
      const e: RawEvent = {
        source: str(ints[i]!)!,
        // taken as a byte text: the sink reads it from `texts`
        sourceEventId: idSlot <= BYTE_TEXT && takesParts ? '' : text(idSlot)!,
        type: str(ints[i + 2]!) as EventType,
        sku: str(ints[i + 3]!)!,
        location: str(ints[i + 4]!)!,
        fromStatus: str(ints[i + 5]!),
        toStatus: str(ints[i + 6]!),
        counterpartLocation: str(ints[i + 7]!),
        quantity,
        unit: str(ints[i + 8]!),
        occurredAt: time(ints[i + 9]!, occurredMs)!,
        recordedAt: time(ints[i + 10]!, recordedMs),
        reference: text(refSlot),
        reasonCode: str(ints[i + 12]!),
      };
      if (file !== undefined) e.origin = { file, line: ints[i + 15]! };
      if (xrefSlot !== -2) e.counterpartReference = text(xrefSlot);
      i += EVENT_INTS;
      if (takesParts) {
        parts.id = textNumber(idSlot);
        parts.ref = textNumber(refSlot);
        parts.xref = textNumber(xrefSlot);
        parts.occurredMs = occurredMs;
        parts.recordedMs = recordedMs;
        sink.eventParts!(e, parts);
      } else sink.event(e);
    } else if (op === ITEM) {
      const file = str(ints[i + 6]!);
      const packs = ints[i + 8]!;
      const aliasCount = ints[i + 9]!;
      let aliases: Record<string, string> | undefined;
      if (aliasCount >= 0) {
        aliases = {};
        for (let a = 0; a < aliasCount; a++)
          aliases[str(ints[i + ITEM_INTS + 2 * a]!)!] = str(ints[i + ITEM_INTS + 2 * a + 1]!)!;
      }
      const item: Item = {
        sku: str(ints[i]!)!,
        skuClass: str(ints[i + 1]!)!,
        category: str(ints[i + 2]!),
        baseUnit: str(ints[i + 3]!),
        unitCost: str(ints[i + 4]!),
        aliases,
        packs: packs < 0 ? undefined : (objects[o++] as Record<string, number>),
        source: str(ints[i + 5]!),
      };
      if (file !== undefined) item.origin = { file, line: ints[i + 7]! };
      i += ITEM_INTS + 2 * Math.max(aliasCount, 0);
      sink.item(item);
    } else {
      const value = objects[o++];
      if (op === REJECT) sink.reject(value as RejectedRecord);
      else if (op === EXPECT) {
        const [kind, rows] = value as [Parameters<NonNullable<Sink['expect']>>[0], number];
        sink.expect?.(kind, rows);
      } else if (op === PROGRESS) onProgress?.(value as ReadProgress);
    }
  }
}
