/** A partner's own W19-01 reason codes, declared in the source's settings.reasonCodes. */
import { describe, expect, it } from 'vitest';
import { x12ThreePlConnector } from '../../connectors/x12-3pl/index.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { collect } from '../support/collect-sink.ts';

const FIXTURES = new URL('../fixtures/x12/', import.meta.url).pathname;

function source(settings: Record<string, unknown>): SourceDef {
  return {
    id: '3pl-reno',
    connector: 'x12-3pl',
    role: '3pl',
    owner: 'logistics',
    timezone: 'America/Los_Angeles',
    cutoffMinutes: 20 * 60,
    expectedLagMinutes: 120,
    systemOfRecord: ['physical_movements'],
    locations: ['DC-RNO'],
    group: 'default',
    files: [],
    file: 'rules/sources.yaml',
    line: 40,
    settings: { paths: ['947-partner-codes.edi'], ...settings },
  };
}

async function events(settings: Record<string, unknown> = {}) {
  const c = collect();
  await x12ThreePlConnector.read({ source: source(settings), dataDir: FIXTURES }, c.sink);
  expect(c.rejects).toEqual([]);
  return c.events.map((e) => [e.sku, e.type, e.reasonCode, e.fromStatus, e.toStatus, e.quantity]);
}

describe('947 reason codes per partner', () => {
  it('reads the default table when the partner declares none', async () => {
    expect(await events()).toEqual([
      ['SKU-RED', 'status_change', 'DAMAGED_IN_FACILITY', '33', 'damaged', 2],
      ['SKU-BLUE', 'adjustment', 'PHYSICAL_COUNT', undefined, '33', 4],
      ['SKU-BLUE', 'adjustment', 'BOOK_ADJUSTMENT_INCREASE', undefined, '33', 3],
      ['SKU-RED', 'status_change', 'PUT_ON_HOLD', '33', 'hold', 1],
      ['SKU-GREEN', 'adjustment', 'OBSOLESCENCE', '33', undefined, 5],
    ]);
  });

  it('lets the partner say AU is written off, 56 is found and 05 a write-off from hold', async () => {
    const got = await events({
      reasonCodes: {
        AU: { action: 'write_off', reason: 'DAMAGED_IN_FACILITY' },
        '56': { action: 'found' },
        '05': { action: 'write_off', from: 'hold', reason: 'DESTROYED' },
      },
    });
    expect(got).toEqual([
      // units leave the warehouse: on-hand drops, nothing lands in a damaged status
      ['SKU-RED', 'adjustment', 'DAMAGED_IN_FACILITY', '33', undefined, 2],
      ['SKU-BLUE', 'adjustment', 'PHYSICAL_COUNT', undefined, '33', 4],
      ['SKU-BLUE', 'adjustment', 'BOOK_ADJUSTMENT_INCREASE', undefined, '33', 3],
      ['SKU-RED', 'adjustment', 'DESTROYED', 'hold', undefined, 1],
      ['SKU-GREEN', 'adjustment', 'OBSOLESCENCE', '33', undefined, 5],
    ]);
  });

  it('reports every problem of a reason table', () => {
    expect(
      x12ThreePlConnector.checkSettings(
        source({
          reasonCodes: {
            '5': { action: 'found' },
            AU: { action: 'scrap', reason: 'BROKEN' },
            AC: { action: 'status_move', from: 'available' },
          },
        }),
      ),
    ).toEqual([
      "settings.reasonCodes.5: W19 codes have two characters; quote a code with a leading zero ('05')",
      'settings.reasonCodes.AU.action: expected one of status_move, write_off, found, adjustment',
      'settings.reasonCodes.AU.reason: expected a reason of the catalogue such as DAMAGED_IN_FACILITY',
      'settings.reasonCodes.AC: a status_move needs two different states, from and to',
    ]);
  });
});
