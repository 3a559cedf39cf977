import { describe, expect, it } from 'vitest';
import type { Release } from '../../../../shared/contract';
import { evidenceLines, gatesSummary, nextVersion } from './format';

describe('releases wording', () => {
  it('suggests the next minor version of a name, 1.0.0 for a new one', () => {
    const r = (name: string, version: string) => ({ name, version }) as Release;
    expect(nextVersion([], 'triage')).toBe('1.0.0');
    expect(nextVersion([r('triage', '1.2.0'), r('triage', '1.10.1'), r('other', '4.0.0')], 'triage')).toBe('1.11.0');
  });

  it('says each gate and each piece of evidence with its CI and sample size', () => {
    expect(
      gatesSummary({
        approvalByOther: true,
        approvedTemplate: false,
        metrics: [{ datasetVersionId: 'd', split: 'test', metric: 'exact match', min: 0.8 }],
        budget: {
          p95LatencyMs: 300,
          p95TimeToFirstTokenMs: null,
          minTokensPerSecond: null,
          maxContextTokens: 512,
          maxMemoryMiB: null,
        },
        reviewWin: true,
      }),
    ).toBe(
      'Gates: approval by another person, exact match >= 80.0%, p95 latency <= 300 ms, context <= 512 tokens, won a blind review',
    );
    expect(
      evidenceLines({
        kind: 'round',
        roundId: 'r',
        name: 'Blind',
        n: 40,
        against: [{ name: 'Base', n: 40, rate: 0.75, ci: [0.6, 0.86] }],
        rank: null,
      }),
    ).toEqual(['Review round "Blind" (40 judgments)', 'won 75.0% against Base (95% CI 60.0%-86.0%, n=40)']);
  });
});
