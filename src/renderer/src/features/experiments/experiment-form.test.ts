// The "New experiment" form: ablation plan and conversion to ExperimentSpec.
import { describe, expect, it } from 'vitest';
import { ablationPlan, emptyForm, fieldOfWhere, toExperimentSpec } from './experiment-form';
import { draftOf } from './metric-drafts';

describe('ablationPlan', () => {
  it('lists 2^k cells in mask order with the service’s labels', () => {
    expect(ablationPlan(['lora', 'template']).map((c) => [c.mask, c.label])).toEqual([
      [0, 'base'],
      [1, 'base + template'],
      [2, 'base + LoRA adapter'],
      [3, 'base + template + LoRA adapter'],
    ]);
    expect(ablationPlan([])).toEqual([{ mask: 0, components: [], label: 'base' }]);
  });
});

describe('toExperimentSpec', () => {
  const filled = {
    ...emptyForm(),
    name: ' Triage ablation ',
    datasetVersionId: 'v1',
    design: 'ablation' as const,
    ablationId: 's1',
    limit: '8',
    metrics: [draftOf('exact_match', { threshold: '70' }), draftOf('chrf')],
  };

  it('builds the spec with defaults and the first metric first', () => {
    expect(toExperimentSpec(filled, 100)).toEqual({
      spec: {
        name: 'Triage ablation',
        datasetVersionId: 'v1',
        split: 'test',
        limit: 8,
        design: { kind: 'ablation', specializationId: 's1' },
        metrics: [{ kind: 'exact_match', threshold: 0.7 }, { kind: 'chrf' }],
        seed: 0,
        batchSize: 32,
      },
    });
  });

  it('carries a performance budget when a limit is typed, and names the budget when a limit is not a number above 0', () => {
    const budget = { ...emptyForm().budget, p95LatencyMs: '500', maxContextTokens: ' 512 ' };
    const out = toExperimentSpec({ ...filled, budget }, 100);
    expect('spec' in out && out.spec.budget).toEqual({
      p95LatencyMs: 500,
      p95TimeToFirstTokenMs: null,
      minTokensPerSecond: null,
      maxContextTokens: 512,
      maxMemoryMiB: null,
    });
    expect(toExperimentSpec({ ...filled, budget: { ...budget, maxMemoryMiB: '-1' } }, 100)).toEqual({
      errors: { budget: 'Each limit is a number above 0, or empty for no limit' },
    });
    expect(toExperimentSpec({ ...filled, budget: { ...budget, minTokensPerSecond: 'fast' } }, 100)).toEqual({
      errors: { budget: 'Each limit is a number above 0, or empty for no limit' },
    });
  });

  it('reports every missing or bad field', () => {
    const out = toExperimentSpec({ ...emptyForm(), limit: 'x', seed: '-1', batchSize: '999' }, 0);
    expect(out).toEqual({
      errors: {
        name: 'A name is required',
        dataset: 'Choose a dataset',
        split: 'The test split has no rows',
        limit: 'Enter a whole number from 1 to 10,000,000',
        design: 'Choose at least one specialization',
        metrics: 'Choose at least one metric',
        seed: 'Enter a whole number from 0 to 4,294,967,295',
        batchSize: 'Enter a whole number from 1 to 256',
      },
    });
  });

  it('reports a bad metric at its row', () => {
    const out = toExperimentSpec({ ...filled, metrics: [draftOf('exact_match'), draftOf('json_fields')] });
    expect(out).toEqual({ errors: { metricAt: { 1: 'fields must name at least one field' } } });
  });

  it('maps server errors to fields', () => {
    expect(fieldOfWhere('split')).toBe('split');
    expect(fieldOfWhere('experiments.create: metrics.0.threshold')).toBe('metrics');
    expect(fieldOfWhere('design.specializationId')).toBe('design');
    expect(fieldOfWhere('some-id')).toBeUndefined();
  });
});
