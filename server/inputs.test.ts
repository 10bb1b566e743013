import { describe, expect, it } from 'vitest';
import { inputsOf } from './inputs.ts';

describe('inputsOf', () => {
  it('joins the readers and the engine counts, a path relative to the data folder', () => {
    const files = [
      {
        source: '3pl',
        file: '/data/x12/944.edi',
        sha256: 'a',
        read: 9,
        accepted: 7,
        rejected: 1,
        skipped: 1,
      },
    ];
    const accounts = [
      { source: '3pl', file: '/data/x12/944.edi', outsideAsOf: 2, keptOut: 1, duplicate: 1 },
    ];
    expect(inputsOf(files, accounts, '/data')).toEqual([
      {
        source: '3pl',
        path: 'x12/944.edi',
        sha256: 'a',
        read: 9,
        accepted: 3,
        rejected: 1,
        outsideAsOf: 3,
        keptOut: 1,
        duplicate: 1,
      },
    ]);
  });
});
