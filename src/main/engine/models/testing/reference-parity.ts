// Test helper: parity of an inference graph with the PyTorch reference (tools/reference/make_reference.py and
// make_arch_reference.py, committed fixtures): logits within 1e-4 and identical greedy tokens, for batch 1 and a
// left-padded batch of 3, with and without a LoRA and a soft prompt, per reference model. The app's attention runs it
// on every architecture; the benchmarks' variants on the Llama family they were measured on.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../generate';
import { SessionCache } from '../../runtime';
import { loadCheckpoint, type Checkpoint } from '../checkpoint';
import type { AttentionBuilder } from '../attention';
import { ModelRunner, type Specialization } from '../model-runner';
import { leftPadded, maxAbsDiff } from './compare';
import {
  readLoraAdapter,
  readReference,
  readSoftPrompt,
  referenceCaseNames,
  REFERENCE_MODELS,
  REFERENCE_ROOT,
  type Reference,
} from './reference-fixtures';

/** One describe block per reference model, for graphs with `attention`. */
export function describeReferenceParity(
  attention: AttentionBuilder,
  models: readonly string[] = REFERENCE_MODELS,
): void {
  const sessions = new SessionCache({ threads: 1 });
  afterAll(() => sessions.dispose());
  describe.each(models)(`reference parity: %s, ${attention.name} attention`, (name) => {
    const folder = join(REFERENCE_ROOT, name);
    let checkpoint: Checkpoint;
    let reference: Reference;
    let runner: ModelRunner;
    const specs = new Map<string, Specialization>();

    it('loads the checkpoint, adapter and soft prompt', async () => {
      checkpoint = await loadCheckpoint(folder);
      reference = await readReference(folder);
      runner = await ModelRunner.open(checkpoint, sessions, undefined, { attention });
      const adapter = await readLoraAdapter(folder, checkpoint.config, reference.lora_scaling);
      const softPrompt = await readSoftPrompt(folder);
      specs
        .set('base', {})
        .set('lora', { adapter })
        .set('soft', { softPrompt })
        .set('lora-soft', { adapter, softPrompt });
    });

    it.each(referenceCaseNames(folder))('%s: logits and greedy tokens', async (caseName) => {
      const c = reference.cases.find((x) => x.name === caseName)!;
      const spec = specs.get(caseName.slice(3))!;
      const { inputIds, attentionMask } = leftPadded(c.prompts, reference.pad_token_id);
      const logits = await runner.forward({ inputIds, attentionMask }, spec); // [B, n+T, V]
      const expected = reference.logits.get(caseName)!; // [B, KEEP, V]
      const [, S, V] = logits.dims as [number, number, number];
      const keep = expected.dims[1] as number;
      const picked = new Float32Array(expected.data.length);
      c.positions.forEach((positions, b) =>
        positions.forEach((p, j) =>
          picked.set(logits.data.subarray((b * S + p) * V, (b * S + p + 1) * V), (b * keep + j) * V),
        ),
      );
      expect(maxAbsDiff(picked, expected.data)).toBeLessThan(1e-4); // measured: at most 1.2e-5

      const step = runner.createStep(spec);
      const results = await generate({
        promptIds: c.prompts,
        step: step.step,
        settings: { do_sample: false, max_new_tokens: c.greedy[0]!.length, ignore_eos: true },
        tokenizer: checkpoint.tokenizer,
        padTokenId: reference.pad_token_id,
      });
      expect(results.map((r) => r.tokenIds)).toEqual(c.greedy);
    });
  });
}
