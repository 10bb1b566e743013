import { describe, expect, it } from 'vitest';
import { moveTypeOf } from './move-words.ts';

describe('moveTypeOf', () => {
  it('reads English and European movement words, and says what it only guessed', () => {
    const read = (w: string) => moveTypeOf(w).type;
    expect(
      ['RECEIVE', 'Transfer In', 'XFER', 'WE', 'Warenausgang', 'Umlagerung', 'Kundenretoure'].map(
        read,
      ),
    ).toEqual([
      'receipt',
      'transfer_in',
      'transfer_out',
      'receipt',
      'shipment',
      'transfer_out',
      'return',
    ]);
    // a sale's return is a return, not a sale; accents and case do not matter
    expect(['Sales return', 'RÉCEPTION', 'Devolución', 'Goods Issue'].map(read)).toEqual([
      'return',
      'receipt',
      'return',
      'shipment',
    ]);
    // a count's posting is its difference: an adjustment, said; a plain count stays a count
    expect(moveTypeOf('Count difference').type).toBe('adjustment');
    expect(moveTypeOf('Count difference').guess).toMatch(/a count's difference/);
    expect(moveTypeOf('Inventurdifferenz').guess).toMatch(/map it to cycle_count/);
    expect(moveTypeOf('CYCLE_COUNT')).toEqual({ type: 'cycle_count' });
    // SAP's movement types by number, each a guess said
    expect(moveTypeOf('101')).toEqual({
      type: 'receipt',
      guess: 'movement type "101" read as receipt (SAP\'s 101: goods receipt)',
    });
    expect(['601', '261', '551', '651', '999'].map(read)).toEqual([
      'shipment',
      'shipment',
      'adjustment',
      'return',
      'adjustment',
    ]);
    // stock sent back to its vendor leaves
    expect(['RTV', 'Return to vendor', 'Lieferantenretoure'].map(read)).toEqual([
      'shipment',
      'shipment',
      'shipment',
    ]);
    expect(moveTypeOf('Sonderbuchung')).toEqual({
      type: 'adjustment',
      guess: 'movement type "Sonderbuchung" read as an adjustment',
    });
  });
});
