// AdamW against torch.optim.AdamW numbers (tools/reference/make_train_reference.py), the schedules against
// transformers' formulas, and clipping against torch.nn.utils.clip_grad_norm_.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adamwState, adamwStep, clipGradNorm } from './adamw';
import { learningRate } from './schedule';

const small = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, '__fixtures__', 'training-reference', 'expected.json'), 'utf8'),
  ) as {
    adamw_small: {
      lr: number;
      betas: [number, number];
      eps: number;
      weight_decay: number;
      x0: number[];
      grads: number[][];
      after: number[][];
    };
  }
).adamw_small;

describe('AdamW', () => {
  it('matches torch.optim.AdamW over 3 steps (decoupled weight decay, bias correction)', () => {
    const params = [{ name: 'x', dims: [3], data: Float32Array.from(small.x0) }];
    const state = adamwState(params);
    small.grads.forEach((g, i) => {
      adamwStep(params, new Map([['x', Float32Array.from(g)]]), state, small.lr, {
        betas: small.betas,
        eps: small.eps,
        weightDecay: small.weight_decay,
      });
      small.after[i]!.forEach((want, j) => expect(params[0]!.data[j]).toBeCloseTo(want, 6));
    });
    expect(state.step).toBe(3);
  });
  it('first step by hand: p(1 - lr wd) - lr sign(g) (bias-corrected m/sqrt(v) = g/|g|)', () => {
    const params = [{ name: 'x', dims: [1], data: Float32Array.of(2) }];
    adamwStep(params, new Map([['x', Float32Array.of(-3)]]), adamwState(params), 0.1, {
      betas: [0.9, 0.999],
      eps: 0,
      weightDecay: 0.5,
    });
    expect(params[0]!.data[0]).toBeCloseTo(2 * (1 - 0.05) + 0.1, 6);
  });
});

describe('schedules (transformers get_*_schedule_with_warmup)', () => {
  const s = { lr: 1, warmupSteps: 4, totalSteps: 12 };
  it('warm-up is linear from 0 and shared by every kind', () => {
    for (const kind of ['constant', 'linear', 'cosine'] as const) {
      expect([0, 1, 2, 3, 4].map((k) => learningRate({ ...s, kind }, k))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    }
  });
  it('linear decays to 0 at totalSteps; cosine follows 0.5(1 + cos(pi progress)); constant stays', () => {
    expect(learningRate({ ...s, kind: 'linear' }, 8)).toBeCloseTo(0.5, 12);
    expect(learningRate({ ...s, kind: 'linear' }, 12)).toBe(0);
    expect(learningRate({ ...s, kind: 'cosine' }, 8)).toBeCloseTo(0.5, 12);
    expect(learningRate({ ...s, kind: 'cosine' }, 6)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(learningRate({ ...s, kind: 'cosine' }, 12)).toBeCloseTo(0, 12);
    expect(learningRate({ ...s, kind: 'constant' }, 11)).toBe(1);
  });
});

describe('clipGradNorm', () => {
  it('scales every gradient by maxNorm / (norm + 1e-6) when the global norm is above maxNorm', () => {
    const grads = new Map([
      ['a', Float32Array.of(3, 0)],
      ['b', Float32Array.of(0, 4)],
    ]);
    expect(clipGradNorm(grads, 1)).toBeCloseTo(5, 6);
    const coef = 1 / (5 + 1e-6);
    expect([...grads.get('a')!, ...grads.get('b')!]).toEqual([3 * coef, 0, 0, 4 * coef].map((v) => Math.fround(v)));
  });
  it('leaves gradients below the limit alone', () => {
    const grads = new Map([['a', Float32Array.of(0.3, 0.4)]]);
    expect(clipGradNorm(grads, 1)).toBeCloseTo(0.5, 6);
    expect([...grads.get('a')!]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});
