import { describe, expect, it } from 'vitest';
import { resolveBooks } from './books.ts';

const parentOf = new Map<string, string | undefined>([
  ['SITE-W', undefined],
  ['WH-W', 'SITE-W'],
  ['BIN-W1', 'WH-W'],
  ['WH-E', undefined],
  ['BIN-E1', 'WH-E'],
]);
const sources = [
  { id: 'erp', systemOfRecord: ['financial_postings'], locations: ['SITE-W', 'WH-E'], index: 0 },
  { id: '3pl', systemOfRecord: ['physical_movements'], locations: ['WH-W'], index: 1 },
  { id: 'wms', systemOfRecord: ['physical_movements'], locations: ['WH-E'], index: 2 },
];

describe('systems of record per location', () => {
  it('a source book covers the warehouses and bins below the locations it lists', () => {
    const { books, conflicts } = resolveBooks(sources, [], parentOf);
    expect(Object.fromEntries(books.get('physical_movements')!)).toEqual({
      'WH-W': '3pl',
      'BIN-W1': '3pl',
      'WH-E': 'wms',
      'BIN-E1': 'wms',
    });
    expect(books.get('financial_postings')!.get('BIN-W1')).toBe('erp');
    expect(conflicts).toEqual([]);
  });

  it('an entry at a site wins over the sources and is inherited below, a nearer entry wins over it', () => {
    const entries = [
      { location: 'SITE-W', domain: 'physical_movements', source: 'erp', index: 0 },
      { location: 'BIN-W1', domain: 'physical_movements', source: '3pl', index: 1 },
    ];
    const { books } = resolveBooks(sources, entries, parentOf);
    const pm = books.get('physical_movements')!;
    expect([pm.get('SITE-W'), pm.get('WH-W'), pm.get('BIN-W1'), pm.get('WH-E')]).toEqual([
      'erp',
      'erp',
      '3pl',
      'wms',
    ]);
  });

  it('reports two sources claiming one location once, and an entry settles it', () => {
    const twice = [
      ...sources,
      { id: 'erp2', systemOfRecord: ['physical_movements'], locations: ['WH-E'], index: 3 },
    ];
    expect(resolveBooks(twice, [], parentOf).conflicts).toEqual([
      { domain: 'physical_movements', location: 'WH-E', sources: [2, 3] },
    ]);
    const settled = [{ location: 'WH-E', domain: 'physical_movements', source: 'wms', index: 0 }];
    const r = resolveBooks(twice, settled, parentOf);
    expect(r.conflicts).toEqual([]);
    expect(r.books.get('physical_movements')!.get('BIN-E1')).toBe('wms');
  });
});
