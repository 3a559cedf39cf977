// The engine's own path, timed: ModelRunner's KV-cache step for a prefill, and generate() (greedy, ignore_eos) for
// decoding, with per-token timestamps from its onToken events. Token ids are fed directly (no tokenizer needed).
import { generate, type Int64Tensor } from '../../src/main/engine/generate';
import type { ModelRunner } from '../../src/main/engine/models';

/** generate() wants a tokenizer only to stream text; the benchmark needs none. */
const NO_TEXT = { createStreamDecoder: () => ({ push: () => '', flush: () => '' }) };

/** Deterministic prompt ids below 352 (the tiny tokenizer's range; any id < vocab_size would do). */
export function promptIds(length: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 352;
  });
}

const int64 = (values: number[], dims: [number, number]): Int64Tensor => ({
  data: BigInt64Array.from(values, BigInt),
  dims,
});

/** Prefill tokens/s of one row of `length` tokens (one KV-cache step from an empty cache). */
export async function prefillRate(runner: ModelRunner, length: number): Promise<number> {
  const step = runner.createStep();
  const ids = promptIds(length, 7);
  const t0 = performance.now();
  await step.step({
    step: 0,
    inputIds: int64(ids, [1, length]),
    attentionMask: int64(
      ids.map(() => 1),
      [1, length],
    ),
    positionIds: int64(
      ids.map((_, i) => i),
      [1, length],
    ),
    pastLength: 0,
    finished: [false],
  });
  const ms = performance.now() - t0;
  step.reset();
  return (length * 1000) / ms;
}

export interface DecodeTiming {
  /** Tokens/s over all rows, prefill excluded. */
  tokPerS: number;
  /** Milliseconds of each decode step (row 0's token intervals). */
  stepMs: number[];
}

/** Decode tokens/s of `batch` rows after a prompt of `context` tokens (>= 1), over `tokens` generated steps. */
export async function decodeRate(
  runner: ModelRunner,
  batch: number,
  context: number,
  tokens: number,
): Promise<DecodeTiming> {
  const step = runner.createStep();
  const times: number[] = [];
  await generate({
    promptIds: Array.from({ length: batch }, (_, b) => promptIds(Math.max(context, 1), 11 + b)),
    step: step.step,
    settings: { max_new_tokens: tokens + 1, ignore_eos: true },
    tokenizer: NO_TEXT,
    onToken: (e) => {
      if (e.row === 0) times.push(performance.now());
    },
  });
  step.reset();
  const stepMs = times.slice(1).map((t, i) => t - (times[i] as number));
  const total = (times[times.length - 1] as number) - (times[0] as number);
  return { tokPerS: (batch * tokens * 1000) / total, stepMs };
}
