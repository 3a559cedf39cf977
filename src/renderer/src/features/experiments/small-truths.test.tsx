// Pins three small UI truths: an empty output reads "(empty…)" side by side, the training header names no
// validation loss before there is one, and the sampling switch keeps one label in both states.
import { describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../../../../shared/contract';
import { markup, textOf } from '../../testing/markup';
import { jobStats } from '../adapters/format';
import { OutputText } from './DiffText';
import { SampleSwitch } from './SampleSwitch';

describe('side by side output', () => {
  it('shows an empty or blank output as "(empty)", and text as text', () => {
    expect(textOf(<OutputText base="billing" text="" />)).toBe('(empty: the model ended at once)');
    expect(textOf(<OutputText base={null} text={'  \n'} />)).toBe('(empty: the model ended at once)');
    expect(textOf(<OutputText base={null} text="billing" />)).toBe('billing');
  });
});

describe('training header', () => {
  const p: TrainingProgress = {
    step: 3,
    totalSteps: 10,
    epoch: 0,
    loss: 2.5,
    valLoss: null,
    lr: 0.002,
    tokensPerSecond: 120,
    etaSeconds: 30,
    peakRssBytes: 2 ** 30,
  };
  it('omits validation until a validation loss exists', () => {
    expect(jobStats(p)).toBe('step 3 / 10 · loss 2.5000 · lr 2.0e-3 · 120 tokens/s · ETA 30 s · peak memory 1.0 GiB');
    expect(jobStats(p)).not.toContain('validation');
    expect(jobStats({ ...p, valLoss: 2.25 })).toContain(' · validation loss 2.2500 · ');
  });
});

describe('sampling switch', () => {
  it('has the same label on and off, and shows its state', () => {
    const off = <SampleSwitch checked={false} onChange={() => {}} />;
    const on = <SampleSwitch checked onChange={() => {}} />;
    expect(textOf(off)).toBe(textOf(on));
    expect(textOf(on)).toContain('Sample (off: greedy');
    expect(markup(on)).toMatch(/<input[^>]*checked=""/);
    expect(markup(off)).not.toMatch(/<input[^>]*checked=""/);
  });
});
