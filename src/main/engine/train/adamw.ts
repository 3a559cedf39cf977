// AdamW as torch.optim.AdamW (Loshchilov & Hutter: weight decay decoupled from the gradient), in plain TS over the
// float32 parameters: the LoRA and soft-prompt tensors are small, so no graph is needed. State is float32, as torch's.
import { BugError } from '../../../shared/errors';
import type { Grads, Param } from './params';

export interface AdamWOptions {
  /** torch defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0.01. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 };

/** exp_avg and exp_avg_sq per parameter, and the step count (torch's state['step']). */
export interface AdamWState {
  step: number;
  expAvg: Map<string, Float32Array>;
  expAvgSq: Map<string, Float32Array>;
}

export function adamwState(params: readonly Param[]): AdamWState {
  return {
    step: 0,
    expAvg: new Map(params.map((p) => [p.name, new Float32Array(p.data.length)])),
    expAvgSq: new Map(params.map((p) => [p.name, new Float32Array(p.data.length)])),
  };
}

/**
 * One step in place (torch's single-tensor path): p *= 1 - lr*wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 */
export function adamwStep(
  params: readonly Param[],
  grads: Grads,
  state: AdamWState,
  lr: number,
  options: AdamWOptions,
): void {
  const [b1, b2] = options.betas;
  state.step += 1;
  const t = state.step;
  const stepSize = lr / (1 - b1 ** t);
  const bias2Sqrt = Math.sqrt(1 - b2 ** t);
  const decay = 1 - lr * options.weightDecay;
  for (const p of params) {
    const g = grads.get(p.name);
    const m = state.expAvg.get(p.name);
    const v = state.expAvgSq.get(p.name);
    if (!g || !m || !v || g.length !== p.data.length)
      throw new BugError(`AdamW: no gradient or state of the right size for ${p.name}`);
    const x = p.data;
    for (let i = 0; i < x.length; i++) {
      const gi = g[i] as number;
      x[i] = (x[i] as number) * decay;
      m[i] = b1 * (m[i] as number) + (1 - b1) * gi;
      v[i] = b2 * (v[i] as number) + (1 - b2) * gi * gi;
      x[i] = (x[i] as number) - (stepSize * (m[i] as number)) / (Math.sqrt(v[i] as number) / bias2Sqrt + options.eps);
    }
  }
}

/**
 * torch.nn.utils.clip_grad_norm_: the global L2 norm over every gradient; when above maxNorm, all are scaled by
 * maxNorm / (norm + 1e-6). Returns the norm before clipping.
 */
export function clipGradNorm(grads: Grads, maxNorm: number): number {
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += (g[i] as number) ** 2;
  const norm = Math.sqrt(sum);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * coef;
  return norm;
}
