// The adapter-active check: logits with and without an adapter on a few canary inputs. An adapter that changes
// nothing (a LoRA whose lora_B is still zero, lora_alpha 0, a load that silently dropped weights) is refused.
import { UserError } from '../../../shared/errors';
import type { ModelRunner, Specialization } from '../models';

export interface AdapterCheckOptions {
  /** Token id rows to run; default: DEFAULT_CANARY_ROWS fixed pseudo-random rows over the vocabulary. */
  canaries?: readonly (readonly number[])[];
  /** An adapter is active when max |Δlogit| reaches this (default 1e-3). */
  threshold?: number;
}

export interface AdapterCheckReport {
  active: boolean;
  threshold: number;
  /** max |logits(adapter) - logits(base)| over every compared position and vocabulary entry. */
  maxAbsDelta: number;
  /** Positions whose argmax token differs with the adapter. */
  argmaxChanged: number;
  /** Token positions compared (the soft prompt's virtual positions are not compared). */
  positions: number;
  /** False when the adapted logits hold NaN or infinity (a broken adapter, never active). */
  finite: boolean;
}

export const DEFAULT_ADAPTER_THRESHOLD = 1e-3;
const DEFAULT_CANARY_ROWS = 3;
const DEFAULT_CANARY_LENGTH = 12;

/** Fixed rows of token ids in [0, V) from a small LCG, so the check is deterministic. */
export function defaultCanaries(vocabSize: number): number[][] {
  let state = 0x2545f491;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % vocabSize;
  };
  return Array.from({ length: DEFAULT_CANARY_ROWS }, () => Array.from({ length: DEFAULT_CANARY_LENGTH }, next));
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/** Runs each canary with and without `spec` and measures the change of the token positions' logits. */
export async function measureAdapterEffect(
  runner: ModelRunner,
  spec: Specialization,
  options: AdapterCheckOptions = {},
): Promise<AdapterCheckReport> {
  const V = runner.model.config.vocab_size;
  const canaries = options.canaries ?? defaultCanaries(V);
  const threshold = options.threshold ?? DEFAULT_ADAPTER_THRESHOLD;
  let maxAbsDelta = 0;
  let argmaxChanged = 0;
  let positions = 0;
  for (const row of canaries) {
    const T = row.length;
    const inputIds = { data: BigInt64Array.from(row, BigInt), dims: [1, T] as [number, number] };
    const base = await runner.forward({ inputIds, logitsToKeep: T }); // [1, T, V]
    const adapted = await runner.forward({ inputIds, logitsToKeep: T }, spec); // [1, T, V]
    for (let t = 0; t < T; t++) {
      const a = base.data.subarray(t * V, (t + 1) * V);
      const b = adapted.data.subarray(t * V, (t + 1) * V);
      for (let v = 0; v < V; v++) maxAbsDelta = Math.max(maxAbsDelta, Math.abs((a[v] as number) - (b[v] as number)));
      if (argmax(a) !== argmax(b)) argmaxChanged++;
      positions++;
    }
  }
  const finite = Number.isFinite(maxAbsDelta);
  return { active: finite && maxAbsDelta >= threshold, threshold, maxAbsDelta, argmaxChanged, positions, finite };
}

/** measureAdapterEffect, refusing an inactive adapter with UserError 'adapter-inactive'. */
export async function assertAdapterActive(
  runner: ModelRunner,
  spec: Specialization,
  options: AdapterCheckOptions & { name?: string } = {},
): Promise<AdapterCheckReport> {
  const report = await measureAdapterEffect(runner, spec, options);
  if (!report.finite) {
    throw new UserError('The adapter makes the model output NaN or infinite logits.', {
      where: options.name,
      hint: 'The adapter weights are broken (training diverged or the file is damaged); train or export it again.',
      code: 'adapter-nonfinite',
    });
  }
  if (!report.active) {
    throw new UserError(
      `The adapter changes nothing: max |Δlogit| ${report.maxAbsDelta.toExponential(2)} over ${report.positions} canary positions (threshold ${report.threshold}).`,
      {
        where: options.name,
        hint:
          'A LoRA whose lora_B weights are all zero (as freshly initialised) or with lora_alpha 0 has no ' +
          'effect. Train it for more steps or with a higher learning rate, or import the trained weights.',
        code: 'adapter-inactive',
      },
    );
  }
  return report;
}
