// The scoring worker (built as the app builds it) against scoring on this thread: the same results with CIs and
// factorial analysis and output rows for a 2-cell ablation; after dispose a task is refused as cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Experiment } from '../../shared/contract/experiments';
import { CancelledError } from '../../shared/errors';
import type { Collected } from '../services/experiments/results';
import { inThreadScoring } from '../services/experiments/scoring';
import type { StoredOutput } from '../services/experiments/experiment-store';
import { ScoringHost } from './scoring-host';
import { taskWorkerScript } from './testing/engine-worker-script';

const N = 60;
const experiment = Experiment.parse({
  id: 'e1',
  name: 'Scoring test',
  state: 'completed',
  progress: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  spec: {
    name: 'Scoring test',
    datasetVersionId: 'v1',
    design: { kind: 'ablation', specializationId: 's1' },
    metrics: [{ kind: 'exact_match' }, { kind: 'length', unit: 'tokens' }],
  },
  cells: [
    { specializationId: 's0', label: 'base', components: [], mask: 0 },
    { specializationId: 's1', label: 'base + template', components: ['template'], mask: 1 },
  ],
});

function output(cell: number, i: number, text: string): StoredOutput {
  return {
    specHash: `s${cell}`,
    exampleHash: `h${i}`,
    decodingHash: 'd',
    seed: 0,
    text,
    finishReason: 'eos',
    promptTokens: 10 + cell * 5,
    generatedTokens: 3,
    timeToFirstTokenMs: 5,
    totalMs: 20,
    tokensPerSecond: 150,
    peakRssBytes: null,
  };
}

const collected: Collected = {
  examples: {
    facts: {
      id: 'v1',
      name: 'Data',
      version: 1,
      contentHash: 'c',
      roles: { input: ['q'], reference: 'a', key: null, label: null },
      splits: { train: 0, validation: 0, test: N },
    },
    examples: Array.from({ length: N }, (_, i) => ({
      idx: i,
      key: `k${i}`,
      hash: `h${i}`,
      data: { q: `question ${i}`, a: `answer ${i % 3}` },
      reference: `answer ${i % 3}`,
    })),
  },
  // base is right on every third example, the template on two of three.
  outputs: [
    Array.from({ length: N }, (_, i) => output(0, i, i % 3 === 0 ? `answer ${i % 3}` : 'no idea')),
    Array.from({ length: N }, (_, i) => output(1, i, i % 3 !== 2 ? `answer ${i % 3}` : 'no idea')),
  ],
};

let host: ScoringHost;
beforeAll(async () => {
  host = new ScoringHost(await taskWorkerScript('scoring'));
});
afterAll(() => host.dispose());

describe('ScoringHost', () => {
  it('answers what scoring on this thread answers', async () => {
    const [results, rows] = await Promise.all([
      host.run({ kind: 'results', experiment, collected }),
      host.run({ kind: 'outputRows', experiment, collected }),
    ]);
    expect(results).toEqual(await inThreadScoring.run({ kind: 'results', experiment, collected }));
    expect(results.complete).toBe(true);
    expect(results.ablation?.effects[0]?.estimate).toBeCloseTo(1 / 3, 6);
    expect(rows).toEqual(await inThreadScoring.run({ kind: 'outputRows', experiment, collected }));
  });

  it('refuses tasks once disposed', async () => {
    const own = new ScoringHost(await taskWorkerScript('scoring'));
    await own.run({ kind: 'results', experiment, collected });
    await own.dispose();
    await expect(own.run({ kind: 'results', experiment, collected })).rejects.toBeInstanceOf(CancelledError);
  });
});
