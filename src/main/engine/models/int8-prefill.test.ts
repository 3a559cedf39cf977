// The int8 prefill path on the reference fixtures at 8 and 4 bits: the prefill graph (DynamicQuantizeMatMul on the
// weight cache's per-column int8 copy) against the f32 model of that copy, with and without LoRA and soft prompt
// (adapters stay f32), within a tolerance derived from its activation rounding; greedy tokens of the app's path (int8
// prefill, MatMulNBits decode) against the f32 model of the blocks wherever that model's choice is not a near-tie;
// and each row's logits in a padded batch beside other rows equal to its logits alone.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../generate';
import { SessionCache } from '../runtime';
import { loadCheckpoint } from './checkpoint';
import { ModelRunner, type Specialization } from './model-runner';
import { leftPadded, maxAbsDiff } from './testing/compare';
import { dequantizedReference, source } from './testing/quantized-reference';
import { readLoraAdapter, readReference, readSoftPrompt, REFERENCE_ROOT } from './testing/reference-fixtures';
import { openWeightCache } from './weight-cache';

const sessions = new SessionCache({ threads: 1 });
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dovetail-int8-prefill-'));
});
afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

/** The gap between the two largest values of a row of logits. */
function margin(row: Float32Array): number {
  let [first, second] = [-Infinity, -Infinity];
  for (const v of row)
    if (v > first) [first, second] = [v, first];
    else if (v > second) second = v;
  return first - second;
}

describe.each(['llama', 'qwen2', 'mistral'])('int8 prefill: %s', (name) => {
  for (const format of ['q8', 'q4'] as const) {
    it(`${format}: prefill logits near the f32 model of the int8 copy, LoRA and soft prompt included; greedy tokens as the f32 model of the blocks`, async () => {
      const folder = join(REFERENCE_ROOT, name);
      const checkpoint = await loadCheckpoint(folder);
      const configJson = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as object;
      const model = await source(folder, configJson, `${name}-${format}-int8`);
      const quantized = await openWeightCache(model, format, join(root, 'cache'));
      const referenceOf = async (from: 'int8' | 'blocks'): Promise<ModelRunner> =>
        ModelRunner.open(
          await dequantizedReference(model, quantized, configJson, await mkdtemp(join(root, `ref-${from}-`)), from),
          sessions,
          undefined,
          { baseSession: true },
        );
      const runner = await ModelRunner.open(quantized, sessions, undefined, { baseSession: true });
      expect(runner.int8Prefill).toBe(true);
      // The shipped decode kernel alone (MatMulNBits, activations rounded to int8 per block of 32): the yardstick.
      const nbits = await openWeightCache(model, format, join(root, 'cache'), { int8Prefill: false });
      const decodeKernel = await ModelRunner.open({ ...nbits, contentHash: `${name}-${format}-nbits` }, sessions);
      const [int8Ref, blockRef] = [await referenceOf('int8'), await referenceOf('blocks')];
      const reference = await readReference(folder);
      const adapter = await readLoraAdapter(folder, checkpoint.config, reference.lora_scaling);
      const softPrompt = await readSoftPrompt(folder);
      const specs: Specialization[] = [{}, { adapter }, { softPrompt }, { adapter, softPrompt }];
      let [agreeing, rows] = [0, 0];
      const prompts = reference.cases.find((c) => c.name.startsWith('b3'))?.prompts as number[][];
      const { inputIds, attentionMask } = leftPadded(prompts, reference.pad_token_id);
      for (const spec of specs) {
        const inputs = { inputIds, attentionMask };
        const got = (await runner.forward(inputs, spec)).data;
        const drift = maxAbsDiff(got, (await int8Ref.forward(inputs, spec)).data);
        // Each product is off by at most half a step of A's uint8 grid times sum |w| (quantize.test.ts). That step is
        // 2 max|a| / 255 over one position (graph-weights.ts: every position on its own scale): MatMulNBits' int8
        // step is max|a| / 127 per block of 32 of one row, so the position's grid is coarser by max|a| /
        // max|a_block|. Tolerance: 3x the decode kernel's drift from its own f32 model on the same inputs. Not exact:
        // the activations really are rounded.
        const yardstick = maxAbsDiff(
          (await decodeKernel.forward(inputs, spec)).data,
          (await blockRef.forward(inputs, spec)).data,
        );
        expect(drift).toBeGreaterThan(0);
        expect(drift).toBeLessThan(3 * yardstick);

        const tokens = async (r: ModelRunner): Promise<number[][]> =>
          (
            await generate({
              promptIds: prompts,
              step: r.createStep(spec).step,
              settings: { do_sample: false, max_new_tokens: reference.new_tokens, ignore_eos: true },
              tokenizer: checkpoint.tokenizer,
              padTokenId: reference.pad_token_id,
            })
          ).map((x) => x.tokenIds);
        // Tiny random models have near-ties: a token may differ only where the reference's top two logits were closer
        // than twice the drift (the shipped decode kernel alone flips some of these too).
        const [mine, theirs] = [await tokens(runner), await tokens(blockRef)];
        for (const [b, row] of theirs.entries()) {
          const j = row.findIndex((t, i) => t !== mine[b]?.[i]);
          if (j < 0) continue;
          const ids = [...(prompts[b] as number[]), ...row.slice(0, j)];
          const at = await blockRef.forward(
            { inputIds: { data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] }, logitsToKeep: 1 },
            spec,
          );
          expect(margin(at.data)).toBeLessThan(2 * drift);
        }
        agreeing += theirs.filter((row, b) => row.every((t, i) => t === mine[b]?.[i])).length;
        rows += theirs.length;
      }
      expect(agreeing).toBeGreaterThanOrEqual(rows / 2); // most rows agree token for token
    });
  }
});

describe('int8 prefill: a row does not depend on its batch', () => {
  it.each(['q8', 'q4'] as const)(
    '%s: each row gets the logits it gets alone, padding and other rows notwithstanding',
    async (format) => {
      const folder = join(REFERENCE_ROOT, 'llama');
      const checkpoint = await loadCheckpoint(folder);
      const configJson = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as object;
      const model = await source(folder, configJson, `llama-${format}-rows`);
      const runner = await ModelRunner.open(await openWeightCache(model, format, join(root, 'cache')), sessions);
      expect(runner.int8Prefill).toBe(true);
      const reference = await readReference(folder);
      const adapter = await readLoraAdapter(folder, checkpoint.config, reference.lora_scaling);
      const prompts = reference.cases.find((c) => c.name.startsWith('b3'))?.prompts as number[][];
      // A row with far larger activations than the others (one token repeated) would set a shared scale for all.
      const loud = Array.from({ length: 9 }, () => (prompts[0] as number[])[0] as number);
      for (const spec of [{}, { adapter }] as Specialization[]) {
        const batch = [...prompts, loud];
        const together = await runner.forward({ ...leftPadded(batch, reference.pad_token_id), logitsToKeep: 1 }, spec);
        const V = together.dims[2] as number;
        for (const [b, ids] of batch.entries()) {
          const alone = await runner.forward(
            { inputIds: { data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] }, logitsToKeep: 1 },
            spec,
          );
          expect(maxAbsDiff(together.data.subarray(b * V, (b + 1) * V), alone.data)).toBeLessThan(1e-5);
        }
      }
    },
  );
});
