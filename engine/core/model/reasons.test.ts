import { describe, expect, it } from 'vitest';
import {
  REASONS,
  reasonFor,
  reasonForAmazon,
  reasonForW19,
  shopifyReasonFor,
  w19CodeFor,
} from './reasons.ts';

// W19-01 and Amazon adjustment codes as VENDOR-FORMATS.md lists them (Amazon N and U as well:
// the FBA connector meets them in ledger files).
const W19_CODES = [
  'AA', 'AU', 'AV', 'AC', '05', '55', '07', '04', '53', '56',
  'AB', 'AY', 'AR', 'AK', 'AG', 'AW', 'AX', 'AN', 'BS', 'AH',
]; // prettier-ignore
const AMAZON_CODES = ['1', '2', 'J', '3', '4', '5', '6', '7', 'D', 'E', 'F', 'H', 'K', 'M', 'P'];

describe('reason catalogue', () => {
  it('maps every W19 code and every Amazon code to exactly one entry', () => {
    for (const code of W19_CODES) {
      expect(reasonForW19(code), `W19 ${code}`).toBeDefined();
      expect(
        REASONS.filter((r) => r.w19.includes(code)),
        `W19 ${code}`,
      ).toHaveLength(1);
    }
    for (const code of [...AMAZON_CODES, 'N', 'U']) {
      expect(reasonForAmazon(code), `Amazon ${code}`).toBeDefined();
      expect(
        REASONS.filter((r) => r.amazon.includes(code)),
        `Amazon ${code}`,
      ).toHaveLength(1);
    }
    expect(reasonForW19('ZZ')).toBeUndefined();
    expect(reasonForAmazon('Q')).toBeUndefined();
  });

  it('holds the reasons corrections are proposed with, by readable code', () => {
    const codes = REASONS.map((r) => r.code);
    for (const code of [
      'PHYSICAL_COUNT',
      'DAMAGED_IN_FACILITY',
      'DAMAGED_IN_TRANSIT',
      'PUT_ON_HOLD',
      'TAKEN_OFF_HOLD',
      'FOUND',
      'MISPLACED',
      'RECEIPT_ERROR',
      'SHIPMENT_ERROR',
    ])
      expect(codes).toContain(code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(reasonForW19('AA')?.code).toBe('PHYSICAL_COUNT');
    expect(reasonForAmazon('E')?.code).toBe('DAMAGED_IN_FACILITY');
    expect(reasonForW19('AU')).toBe(reasonForAmazon('E'));
  });

  it('gives the code each vendor is sent', () => {
    expect(shopifyReasonFor('PHYSICAL_COUNT')).toBe('cycle_count_available');
    expect(shopifyReasonFor('DAMAGED_IN_FACILITY')).toBe('damaged');
    expect(shopifyReasonFor('MISPLACED')).toBe('shrinkage');
    expect(shopifyReasonFor('RECEIPT_ERROR')).toBe('correction');
    expect(shopifyReasonFor('NOT_A_REASON')).toBe('correction');
    expect(w19CodeFor('DAMAGED_IN_TRANSIT')).toBe('AV');
    expect(w19CodeFor('FOUND')).toBe('AH');
    for (const code of W19_CODES) expect(w19CodeFor(reasonForW19(code)!.code)).toBe(code);
  });

  it('resolves the scheme-prefixed codes of rows written before the catalogue had one scheme', () => {
    expect(reasonFor('edi947:AA')?.code).toBe('PHYSICAL_COUNT');
    expect(reasonFor('amazon:F')?.code).toBe('FOUND');
    expect(reasonFor('amazon:M')?.code).toBe('MISPLACED');
    expect(reasonFor('edi947:ZZ')).toBeUndefined();
    expect(shopifyReasonFor('edi947:AU')).toBe('damaged');
  });
});
