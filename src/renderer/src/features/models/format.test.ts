// Sizes as the Models screen shows them.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatParameters } from './format';

describe('model size formatting', () => {
  it('writes parameter counts as model cards do', () => {
    expect(formatParameters(12_587_904)).toBe('12.6M');
    expect(formatParameters(134_515_008)).toBe('135M');
    expect(formatParameters(1_235_814_400)).toBe('1.2B');
    expect(formatParameters(6_640)).toBe('6.6K');
    expect(formatParameters(512)).toBe('512');
  });

  it('writes bytes in decimal units and counts with separators', () => {
    expect(formatBytes(10_227_224 + 10_231_256 + 4_723_392)).toBe('25.2 MB');
    expect(formatBytes(79_224)).toBe('79.2 KB');
    expect(formatBytes(2_471_645_608)).toBe('2.5 GB');
    expect(formatBytes(12)).toBe('12 B');
    expect(formatCount(8192)).toBe('8,192');
  });
});
