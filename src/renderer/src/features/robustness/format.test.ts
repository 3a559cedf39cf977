// The plain-words formatting of failure modes, probes and audits.
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../../shared/contract';
import { changeText, probeOf, PROBE_ROWS, rateText } from './format';

describe('robustness formatting', () => {
  it('writes rates with their intervals and changes in points with p', () => {
    expect(rateText(0.5, [0.15, 0.85])).toBe('50% [15%, 85%]');
    expect(rateText(null, null)).toBe('—');
    expect(changeText({ delta: -0.25, p: 0.0312 })).toBe('-25 pts (p 0.031)');
    expect(changeText({ delta: 0.1, p: 0.0001 })).toBe('+10 pts (p < 0.001)');
    expect(changeText({ delta: -0.55, p: 0.0005, n: 40 })).toBe('-55 pts (p < 0.001, n 40)');
    expect(changeText(null)).toBe('—');
  });

  it("probes an experiment's specializations on at most PROBE_ROWS of its rows, with its metrics and seed", () => {
    const experiment = {
      name: 'E',
      cells: [{ specializationId: 'a' }, { specializationId: 'b' }],
      spec: { datasetVersionId: 'v', split: 'test', limit: null, seed: 3, metrics: [{ kind: 'json_valid' }] },
    } as unknown as Experiment;
    expect(probeOf(experiment)).toMatchObject({
      specializationIds: ['a', 'b'],
      limit: PROBE_ROWS,
      seed: 3,
      metrics: [{ kind: 'json_valid' }],
    });
    expect(probeOf({ ...experiment, spec: { ...experiment.spec, limit: 5 } }).limit).toBe(5);
  });
});
