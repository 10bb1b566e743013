/**
 * What crosses from a reading thread (sink-wire.ts) arrives as it was sent: event ids and
 * references travel as byte texts where they can (Latin-1, 1 to 256 characters), as strings
 * otherwise; times written as toISOString writes them travel as milliseconds, any other as
 * text; and a sink is given them in the form it takes.
 */
import { describe, expect, it } from 'vitest';
import type { RawEvent } from '../../engine/core/model/types.ts';
import { textHash, textOf, type ByteTexts } from '../../engine/core/model/byte-texts.ts';
import type { EventParts } from '../../engine/core/model/event-parts.ts';
import type { Sink } from '../types.ts';
import { replayBatch } from './sink-replay.ts';
import { WireSink, type WireBatch } from './sink-wire.ts';

const base: RawEvent = {
  source: 'wms',
  sourceEventId: 'T-1',
  type: 'receipt',
  sku: 'SKU-1',
  location: 'DC1',
  quantity: 4,
  occurredAt: '2026-11-20T10:00:00Z',
  origin: { file: 'transactions.csv', line: 2 },
};

const long = 'L'.repeat(300);
const sent: RawEvent[] = [
  { ...base, reference: 'PO-1' },
  { ...base, sourceEventId: 'Zürich-7', reference: 'Straße 5' }, // Latin-1 beyond ASCII
  { ...base, sourceEventId: '€-8', reference: 'ref-€' }, // beyond Latin-1: strings
  { ...base, sourceEventId: long, reference: '' }, // too long; empty
  { ...base, sourceEventId: 'T-9', counterpartReference: 'TR-3' },
  { ...base, sourceEventId: 'T-10', counterpartReference: undefined },
  // times as the date parsers write them go as numbers; recorded apart, or not a time at all
  { ...base, sourceEventId: 'T-11', occurredAt: '2026-11-20T10:00:00.000Z' },
  {
    ...base,
    sourceEventId: 'T-12',
    occurredAt: '2026-11-20T10:00:00.000Z',
    recordedAt: '2026-11-21T08:30:15.250Z',
  },
  { ...base, sourceEventId: 'T-13', occurredAt: '2028-02-29T00:00:00.000Z', recordedAt: 'soon' },
  { ...base, sourceEventId: 'T-15', occurredAt: '2026-02-29T00:00:00.000Z' }, // no such day
  { ...base, sourceEventId: 'T-14', occurredAt: '1969-12-31T23:59:59.999Z', recordedAt: '' },
];

function batchesOf(events: RawEvent[]): WireBatch[] {
  const batches: WireBatch[] = [];
  const wire = new WireSink((batch) => batches.push(batch));
  for (const e of events) wire.event(e);
  // enough events to fill more than one batch, so the texts start again in the next
  for (let i = 0; i < 3000; i++)
    wire.event({ ...base, sourceEventId: `N-${i}`, reference: `R${i}` });
  wire.flush();
  return batches;
}

const collecting = () => {
  const events: RawEvent[] = [];
  const sink: Sink = {
    position: () => undefined,
    opening: () => undefined,
    item: () => undefined,
    reject: () => undefined,
    event: (e) => events.push(e),
  };
  return { sink, events };
};

describe('events sent from a reading thread', () => {
  it('reach a sink of strings exactly as they were sent', () => {
    const { sink, events } = collecting();
    for (const batch of batchesOf(sent)) replayBatch(structuredClone(batch), sink);
    expect(events.slice(0, sent.length)).toEqual(sent);
    expect('counterpartReference' in events[0]!).toBe(false);
    expect('counterpartReference' in events[5]!).toBe(true);
    expect(events.length).toBe(sent.length + 3000);
    expect(events.at(-1)).toMatchObject({ sourceEventId: 'N-2999', reference: 'R2999' });
  });

  it('give a sink of byte texts the texts, and the strings of what could not be bytes', () => {
    const got: {
      e: RawEvent;
      id: string;
      ref?: string;
      xref?: string;
      times: [number, number];
    }[] = [];
    const byNumber = (texts: ByteTexts, k: number) => {
      // each text's hash is textHash of its string, as the id sets look it up
      expect(texts.hashes[k]).toBe(textHash(textOf(texts, k)));
      return textOf(texts, k);
    };
    const sink: Sink = {
      ...collecting().sink,
      event: () => {
        throw new Error('a sink of event parts is given eventParts');
      },
      eventParts: (e, { texts, id, ref, xref, occurredMs, recordedMs }: EventParts) =>
        got.push({
          e,
          id: id >= 0 ? byNumber(texts, id) : e.sourceEventId,
          ref: ref >= 0 ? byNumber(texts, ref) : e.reference,
          xref: xref >= 0 ? byNumber(texts, xref) : e.counterpartReference,
          times: [occurredMs, recordedMs],
        }),
    };
    for (const batch of batchesOf(sent)) replayBatch(structuredClone(batch), sink);
    expect(got.slice(0, sent.length).map(({ id, ref, xref }) => [id, ref, xref])).toEqual(
      sent.map((e) => [e.sourceEventId, e.reference, e.counterpartReference]),
    );
    // what went as bytes is not also in the event: the sink reads it from the texts
    expect(got[0]!.e.sourceEventId).toBe('');
    expect(got[0]!.e.reference).toBeUndefined();
    // what could not: beyond Latin-1, too long, empty
    expect(got[2]!.e).toMatchObject({ sourceEventId: '€-8', reference: 'ref-€' });
    expect(got[3]!.e).toMatchObject({ sourceEventId: long, reference: '' });
    expect(got.at(-1)).toMatchObject({ id: 'N-2999', ref: 'R2999' });
    // times: as milliseconds where written as toISOString writes them (the text then empty)
    const at = (id: string) => got.find((g) => g.id === id)!;
    expect(at('T-1').times).toEqual([NaN, NaN]);
    expect(at('T-1').e.occurredAt).toBe('2026-11-20T10:00:00Z');
    expect(at('T-11').times).toEqual([Date.parse('2026-11-20T10:00:00.000Z'), NaN]);
    expect(at('T-11').e).toMatchObject({ occurredAt: '' });
    expect(at('T-11').e.recordedAt).toBeUndefined();
    expect(at('T-12').times).toEqual([
      Date.parse('2026-11-20T10:00:00.000Z'),
      Date.parse('2026-11-21T08:30:15.250Z'),
    ]);
    expect(at('T-12').e).toMatchObject({ occurredAt: '', recordedAt: '' });
    expect(at('T-13').times).toEqual([Date.parse('2028-02-29T00:00:00.000Z'), NaN]);
    expect(at('T-13').e.recordedAt).toBe('soon');
    expect(at('T-14').times).toEqual([NaN, NaN]);
    expect(at('T-14').e).toMatchObject({ occurredAt: '1969-12-31T23:59:59.999Z', recordedAt: '' });
    expect(at('T-15').times).toEqual([NaN, NaN]);
    expect(at('T-15').e.occurredAt).toBe('2026-02-29T00:00:00.000Z');
  });
});
