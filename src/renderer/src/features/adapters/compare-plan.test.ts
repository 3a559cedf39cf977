import { describe, expect, it } from 'vitest';
import {
  CreateSpecialization,
  ExperimentSpec,
  type DatasetVersion,
  type Experiment,
} from '../../../../shared/contract';
import { compareEstimate, comparePlan, compareSplit, QUICK_ROWS } from './compare-plan';

const dataset = {
  id: 'tri',
  name: 'Support triage',
  version: 1,
  splits: { train: 2000, validation: 300, test: 400 },
} as DatasetVersion;
const ran = (updatedAt: string, rowsPerSecond: number | null) =>
  ({
    updatedAt,
    progress:
      rowsPerSecond === null ? null : { done: 1, total: 1, reused: 0, rowsPerSecond, etaSeconds: 0, cell: null },
  }) as Experiment;

describe('compare with the base model', () => {
  it("plans the base model and the adapter on the adapter's template, compared on the test split with the given metrics", () => {
    const plan = comparePlan({
      adapter: { id: 'a1', name: 'Support triage LoRA+soft 1', method: 'both', modelId: 'm' },
      baseModel: { id: 'm', name: 'demo' },
      template: { id: 't-v1', name: 'Triage as JSON', version: 1 },
      dataset,
      metrics: [{ kind: 'classification', field: 'category' }],
      quick: true,
    });
    expect(CreateSpecialization.parse(plan.base)).toMatchObject({
      modelId: 'm',
      templateVersionId: 't-v1',
      loraAdapterId: null,
      softPromptAdapterId: null,
    });
    expect(CreateSpecialization.parse(plan.tuned)).toMatchObject({
      loraAdapterId: 'a1',
      softPromptAdapterId: 'a1',
      templateVersionId: 't-v1',
    });
    const spec = ExperimentSpec.parse(plan.experiment('b', 't'));
    expect(spec).toMatchObject({
      split: 'test',
      limit: QUICK_ROWS,
      design: { kind: 'compare', specializationIds: ['b', 't'] },
      name: 'Support triage LoRA+soft 1 vs the base model (first 100 rows)',
    });
    const lora = comparePlan({
      adapter: { id: 'a2', name: 'x', method: 'lora', modelId: 'm' },
      baseModel: { id: 'm', name: 'demo' },
      template: { id: 't', name: 'T', version: 1 },
      dataset,
      metrics: [{ kind: 'json_valid' }],
      quick: false,
    });
    expect(lora.tuned).toMatchObject({ loraAdapterId: 'a2', softPromptAdapterId: null });
    expect(lora.experiment('b', 't').limit).toBeNull();
    expect(compareSplit({ ...dataset, splits: { train: 10, validation: 5, test: 0 } })).toBe('validation');
  });

  it('estimates from the newest measured experiment, else guesses from the model size', () => {
    const measured = compareEstimate(400, [ran('2026-01-01', 10), ran('2026-02-01', 20), ran('2026-03-01', null)], {
      parameters: 13e6,
    });
    expect(measured).toEqual({ rows: 400, outputs: 800, seconds: 40, source: 'measured' });
    const guess = compareEstimate(400, [], { parameters: 13e6 });
    expect(guess.source).toBe('guess');
    expect(guess.seconds).toBeCloseTo(800 / 27);
    expect(compareEstimate(400, [], { parameters: 130e6 }).seconds).toBeCloseTo(10 * guess.seconds);
  });
});
