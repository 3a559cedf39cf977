import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentCell } from '../../../shared/contract/experiments';
import type { MetricSpec } from '../../../shared/metrics';
import type { ExampleScore } from '../../eval';
import { baseAndOthers, versusBase } from './versus-base';

const cell = (label: string, components: ExperimentCell['components'], mask: number | null = null): ExperimentCell => ({
  specializationId: label,
  label,
  components,
  mask,
});

function experiment(
  cells: ExperimentCell[],
  metrics: MetricSpec[],
  kind: 'compare' | 'ablation' = 'compare',
): Experiment {
  const design =
    kind === 'compare'
      ? { kind, specializationIds: cells.map((c) => c.specializationId) }
      : { kind, specializationId: 'full' };
  return {
    id: 'e',
    name: 'e',
    cells,
    state: 'completed',
    progress: null,
    error: null,
    createdAt: '',
    updatedAt: '',
    spec: { name: 'e', datasetVersionId: 'd', split: 'test', limit: null, design, metrics, seed: 0, batchSize: 8 },
  } as Experiment;
}
const scores = (values: number[]): ExampleScore[] => values.map((score) => ({ score }));
const zeros = (n: number) => Array.from({ length: n }, () => 0);

describe('vs base', () => {
  it("takes a comparison's first cell as the base only when it has no adapter; an ablation's all-off cell against the full one", () => {
    expect(
      baseAndOthers(
        experiment([cell('base', ['template']), cell('tuned', ['template', 'lora'])], [{ kind: 'json_valid' }]),
      ),
    ).toEqual({ base: 0, others: [1] });
    expect(baseAndOthers(experiment([cell('tuned', ['lora']), cell('base', [])], [{ kind: 'json_valid' }]))).toBeNull();
    const cells = [0, 1, 2, 3].map((m) => cell(`m${m}`, [], m));
    expect(baseAndOthers(experiment(cells, [{ kind: 'json_valid' }], 'ablation'))).toEqual({ base: 0, others: [3] });
  });

  it('gives each metric a paired difference with CI and Holm p: a real gain is significant, no change is not', () => {
    const n = 60;
    const metrics: MetricSpec[] = [{ kind: 'classification', field: 'category' }, { kind: 'json_valid' }];
    const e = experiment([cell('base', ['template']), cell('tuned', ['template', 'lora', 'softPrompt'])], metrics);
    const gained = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const vs = versusBase(
      e,
      [
        [scores(zeros(n)), scores(zeros(n))],
        [scores(zeros(n)), scores(gained)],
      ],
      500,
    );
    expect(vs?.base).toBe('base');
    const [main, json] = vs?.rows ?? [];
    expect(main).toMatchObject({ cell: 'tuned', metric: 0, baseValue: 0, value: 0, estimate: 0, significant: false });
    expect(json).toMatchObject({
      metric: 1,
      baseValue: 0,
      value: 0.5,
      test: 'mcnemar',
      significant: true,
      direction: 'higher',
    });
    expect(json?.ci[0]).toBeGreaterThan(0);
    expect(json?.pHolm).toBeGreaterThanOrEqual(json?.p ?? 1);
  });
});
