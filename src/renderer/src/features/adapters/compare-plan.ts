// "Compare with the base model" (pure): the two specializations (the base model with the adapter's training template;
// the adapter with the same template), the comparison over the dataset's test split with its recipe's metrics, and
// the time it should take, from the generation speed an earlier experiment measured on this machine, else a guess.
import type {
  AdapterRecord,
  CreateSpecializationIn,
  DatasetVersion,
  Experiment,
  ExperimentSpecIn,
  ModelRecord,
  TemplateVersion,
} from '../../../../shared/contract';
import type { MetricSpecInput } from '../../../../shared/metrics';

/** Rows of the quick check offered before a full comparison. */
export const QUICK_ROWS = 100;
/** Greedy, at most 64 new tokens, as `npm run demo` generates. */
export const COMPARE_DECODING = { do_sample: false, max_new_tokens: 64, seed: 0 };
/**
 * Outputs per second guessed for a model of `parameters` weights on a 2-core CPU when nothing was measured yet: the
 * demo's 8-cell ablation of the 13M-parameter demo model writes about 27 outputs per second there (3,200 in ~2 min).
 */
const GUESS_OUTPUTS_PER_SECOND_13M = 27;

export interface CompareEstimate {
  rows: number;
  outputs: number;
  seconds: number;
  source: 'measured' | 'guess';
}

/** The split compared on: test, else validation. */
export function compareSplit(v: DatasetVersion): 'test' | 'validation' {
  return v.splits.test > 0 ? 'test' : 'validation';
}

/** Seconds for `rows` rows in 2 cells: at the newest measured experiment rate, else the size-scaled guess. */
export function compareEstimate(
  rows: number,
  experiments: readonly Experiment[],
  model: Pick<ModelRecord, 'parameters'>,
): CompareEstimate {
  const outputs = rows * 2;
  const measured = [...experiments]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .find((e) => (e.progress?.rowsPerSecond ?? null) !== null)?.progress?.rowsPerSecond;
  if (measured) return { rows, outputs, seconds: outputs / measured, source: 'measured' };
  const rate = GUESS_OUTPUTS_PER_SECOND_13M * (13e6 / Math.max(1e6, model.parameters));
  return { rows, outputs, seconds: outputs / rate, source: 'guess' };
}

export interface ComparePlan {
  base: CreateSpecializationIn;
  tuned: CreateSpecializationIn;
  experiment: (baseId: string, tunedId: string) => ExperimentSpecIn;
}

export function comparePlan(o: {
  adapter: Pick<AdapterRecord, 'name' | 'method' | 'modelId' | 'id'>;
  baseModel: Pick<ModelRecord, 'id' | 'name'>;
  template: Pick<TemplateVersion, 'id' | 'name' | 'version'>;
  dataset: DatasetVersion;
  metrics: MetricSpecInput[];
  quick: boolean;
}): ComparePlan {
  const t = `${o.template.name} v${o.template.version}`;
  const lora = o.adapter.method !== 'soft-prompt' ? o.adapter.id : null;
  const soft = o.adapter.method !== 'lora' ? o.adapter.id : null;
  return {
    base: {
      name: `Base model ${o.baseModel.name} (${t})`,
      modelId: o.baseModel.id,
      templateVersionId: o.template.id,
      decoding: COMPARE_DECODING,
    },
    tuned: {
      name: `${o.adapter.name} (${t})`,
      modelId: o.adapter.modelId,
      templateVersionId: o.template.id,
      loraAdapterId: lora,
      softPromptAdapterId: soft,
      decoding: COMPARE_DECODING,
    },
    experiment: (baseId, tunedId) => ({
      name: `${o.adapter.name} vs the base model${o.quick ? ` (first ${QUICK_ROWS} rows)` : ''}`,
      datasetVersionId: o.dataset.id,
      split: compareSplit(o.dataset),
      limit: o.quick ? QUICK_ROWS : null,
      design: { kind: 'compare', specializationIds: [baseId, tunedId] },
      metrics: o.metrics,
      seed: 0,
      batchSize: 32,
    }),
  };
}
