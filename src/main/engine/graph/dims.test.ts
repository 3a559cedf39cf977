// Symbolic dim arithmetic: one canonical spelling per polynomial, so dims computed two ways compare equal.
import { describe, expect, it } from 'vitest';
import { addDims, canonicalDim, divideDims, mulDims, productOfDims, subDims } from './dims';

describe('symbolic dims', () => {
  it('spells sums and products one way', () => {
    expect(canonicalDim('T+n')).toBe('T+n');
    expect(canonicalDim('n+T')).toBe('T+n');
    expect(canonicalDim('3*T')).toBe('T*3');
    expect(canonicalDim('batch_size')).toBe('batch_size');
    expect(canonicalDim('a b/2')).toBe('a b/2'); // not arithmetic: kept whole
    expect(addDims('P', 'T+n')).toBe('P+T+n');
    expect(addDims(addDims('T+n', 'T+n')!, 'T+n')).toBe(mulDims('T+n', 3));
    expect(productOfDims(['B', 2, 'T'])).toBe('B*T*2');
  });

  it('subtracts and cancels to numbers', () => {
    expect(subDims('P+T+n', 'T+n')).toBe('P');
    expect(subDims('T', 'T')).toBe(0);
    expect(subDims(3, 5)).toBeUndefined();
    expect(subDims(0, 'T')).toBeUndefined(); // "-T" is no dim
  });

  it('divides a product by a monomial after cancelling equal factors', () => {
    expect(divideDims(['B', 2, 'T*3+n*3', 8], ['B', 2, 8])).toBe('T*3+n*3');
    expect(divideDims(['B', 2, 'T*3+n*3', 8], ['B', 2, 3, 8])).toBe('T+n');
    expect(divideDims(['B', 'T+n', 16], ['B', 'T+n'])).toBe(16);
    expect(divideDims(['B', 'T', 6], ['B', 4])).toBeUndefined();
    expect(divideDims(['B', 'T+n'], ['T'])).toBeUndefined();
  });
});
