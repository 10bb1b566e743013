/**
 * Where each transaction set read here names its warehouse (the N1 entity codes, in order of
 * preference) and, on its item lines, the product id: qualifier/id element pairs and the
 * element of a bare UPC case code. The parsers read the sets by it, and a refused set is read
 * by it again for the keys it covers (set-keys.ts).
 */
export type SetLayout = {
  entities: string[];
  /** The segment that carries one item. */
  itemTag: string;
  pairs: [number, number][];
  upcAt?: number;
};

export const LAYOUTS: Record<'846' | '944' | '945' | '947', SetLayout> = {
  '846': {
    entities: ['WH', 'RL'],
    itemTag: 'LIN',
    pairs: Array.from({ length: 14 }, (_, i): [number, number] => [2 + 2 * i, 3 + 2 * i]),
  },
  '944': {
    entities: ['WH', 'RL', 'ST'],
    itemTag: 'W07',
    pairs: [
      [4, 5],
      [6, 7],
      [10, 11],
    ],
    upcAt: 3,
  },
  '945': {
    entities: ['SF', 'WH'],
    itemTag: 'W12',
    pairs: [
      [7, 8],
      [17, 18],
    ],
    upcAt: 6,
  },
  '947': {
    entities: ['WH', 'RL'],
    itemTag: 'W19',
    pairs: [
      [5, 6],
      [7, 8],
    ],
    upcAt: 4,
  },
};
