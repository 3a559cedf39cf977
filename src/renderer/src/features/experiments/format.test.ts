// How experiment numbers read.
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatEffect,
  formatEffectWithCI,
  formatMs,
  formatP,
  formatValue,
  formatWithCI,
  percentDone,
  progressLine,
  scoreTone,
  termLabel,
} from './format';

describe('experiment number formatting', () => {
  it('shows fraction metrics as percentages with one decimal and their CI', () => {
    expect(formatValue(0.7214, 'exact_match')).toBe('72.1');
    expect(formatWithCI(0.7214, [0.68, 0.763], 'exact_match')).toBe('72.1 (68.0-76.3)');
    expect(formatWithCI(0.5, null, 'chrf')).toBe('0.500');
    expect(formatWithCI(0.095, [0.08, 0.11], 'rouge_l')).toBe('0.095 (0.080-0.110)');
    expect(formatValue(null, 'exact_match')).toBe('—');
  });

  it('keeps length as a raw count', () => {
    expect(formatWithCI(12.34, [10, 14.56], 'length')).toBe('12.3 (10.0-14.6)');
  });

  it('signs effects in points and spells negative ranges with "to"', () => {
    expect(formatEffect(0.042, 'exact_match')).toBe('+4.2');
    expect(formatEffect(-0.031, 'exact_match')).toBe('\u22123.1');
    expect(formatEffect(0.0001, 'exact_match')).toBe('0.0');
    expect(formatEffectWithCI(-0.031, [-0.08, 0.012], 'exact_match')).toBe('\u22123.1 (\u22128.0 to 1.2)');
    expect(formatEffect(0.011, 'chrf')).toBe('+0.011');
  });

  it('writes p-values, durations and latencies', () => {
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(0.04213)).toBe('0.042');
    expect(formatDuration(7.4)).toBe('7 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatMs(85.2)).toBe('85 ms');
    expect(formatMs(1420)).toBe('1.42 s');
  });

  it('describes a run in one line', () => {
    const p = { done: 12, total: 32, reused: 8, rowsPerSecond: 3.24, etaSeconds: 6.2, cell: 'base' };
    expect(progressLine(p, true)).toBe('12 / 32 outputs · 8 reused · 3.2 rows/s · ETA 6 s');
    expect(progressLine({ ...p, rowsPerSecond: null, etaSeconds: null, reused: 0 }, true)).toBe(
      '12 / 32 outputs · measuring speed…',
    );
    expect(progressLine(p, false)).toBe('12 / 32 outputs · 8 reused');
    expect(percentDone(p)).toBe(37.5);
    expect(percentDone(null)).toBe(0);
  });

  it('names effects and tints scores', () => {
    expect(termLabel(['template', 'lora'])).toBe('template × LoRA adapter');
    expect(scoreTone(1)).toBe('pass');
    expect(scoreTone(0)).toBe('fail');
    expect(scoreTone(0.4)).toBe('partial');
    expect(scoreTone(null)).toBeNull();
  });
});
