// Measuring what 8-bit and 4-bit weights cost, through the composed app on the demo workspace (real engine worker):
// the demo model scored on Support triage's test messages against its stored weights, the paired CI and perplexities
// kept and listed (one per format and dataset version, seeded: the same call gives the same figures), and a dataset
// version without a test split refused.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { useDemoApp } from '../../testing/demo-app';
import { testTexts } from './weight-quality';

const ctx = useDemoApp('weight-quality');

describe('models.measureWeightQuality', () => {
  it('measures q8 and q4 on the test split, paired and seeded, and keeps the last result per format', async () => {
    const { api, demo, dir } = ctx;
    const id = demo.modelIds[0] as string;
    const datasetVersionId = await ctx.triageVersionId();
    const progress: number[] = [];
    const off = api.models.onWeightsProgress((p) => p.id === id && progress.push(p.done / p.total));
    try {
      const q8 = await api.models.measureWeightQuality({ id, format: 'q8', datasetVersionId, limit: 24 });
      expect(q8).toMatchObject({ format: 'q8', datasetVersionId, n: 24, seed: 1 });
      expect(q8.texts).toMatch(/^Support triage v1, test split \(message\)$/);
      expect(q8.tokens).toBeGreaterThan(24);
      expect(q8.low).toBeLessThanOrEqual(q8.delta);
      expect(q8.high).toBeGreaterThanOrEqual(q8.delta);
      // The delta is the paired mean of per-document changes: it sits near log(perplexity ratio).
      expect(Math.abs(q8.delta - Math.log(q8.perplexity / q8.storedPerplexity))).toBeLessThan(0.05);
      expect(progress.at(-1)).toBe(1);
      const again = await api.models.measureWeightQuality({ id, format: 'q8', datasetVersionId, limit: 24 });
      expect([again.delta, again.low, again.high]).toEqual([q8.delta, q8.low, q8.high]);

      const q4 = await api.models.measureWeightQuality({ id, format: 'q4', datasetVersionId, limit: 24 });
      expect(q4.storedPerplexity).toBeCloseTo(q8.storedPerplexity, 6); // the same documents under the same weights
      const kept = await api.models.weightQuality({ id });
      expect(kept.map((q) => q.format)).toEqual(['q4', 'q8']); // newest first, one per format and dataset
      expect(kept[1]?.measuredAt).toBe(again.measuredAt);
      const [model] = await api.models.list({});
      const file = path.join(dir, 'user', 'weight-cache', model?.contentHash ?? '', 'quality.json');
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      off();
    }
  }, 240_000);

  it('refuses a dataset version without a test split or input fields, naming it', () => {
    const version = { name: 'Notes', version: 2, roles: { input: ['text'] }, splits: { test: 0 } };
    expect(() => testTexts(version, [])).toThrow(/"Notes" v2 has no test split/);
    expect(() => testTexts({ ...version, roles: { input: [] }, splits: { test: 5 } }, [])).toThrow(UserError);
    const texts = testTexts({ ...version, roles: { input: ['a', 'b'] }, splits: { test: 2 } }, [
      { data: { a: 'x', b: 'y' } },
      { data: { a: 'z', b: 3 } },
    ]);
    expect(texts).toEqual({ label: 'Notes v2, test split (a, b)', texts: ['x\ny', 'z'] });
  });
});
