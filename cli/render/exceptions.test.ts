import { describe, expect, it } from 'vitest';
import { renderExceptions } from './exceptions.ts';
import { keyResult } from '../../test/storage/fixtures.ts';

describe('the top exceptions', () => {
  const results = [
    keyResult({ sku: 'SKU-1', location: 'WH1', variance: -5, severity: 'high' }),
    keyResult({ sku: 'SKU-2', location: 'WH1', variance: 3, severity: 'low' }),
  ];

  it('says how many there are when none is to be shown, not that there are none', () => {
    expect(renderExceptions(results, 0)).toEqual(['2 exceptions, none shown (--top 0)']);
  });

  it('says there are none only when there are none', () => {
    expect(renderExceptions([], 10)).toEqual(['No exceptions.']);
    expect(renderExceptions(results, 1)[0]).toBe('Top 1 of 2 exceptions');
  });
});
