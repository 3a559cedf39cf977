// ModelRunner's base-only session (RunnerOptions.baseSession): plain runs give the hooked session's logits, and the
// hooked session is created only when an adapter or soft prompt first needs it.
import { afterAll, describe, expect, it } from 'vitest';
import { SessionCache } from '../runtime';
import { tinyLlamaExpected, tinyLlamaModel, TINY_LORA } from '../train/testing/tiny-llama';
import { readPeftAdapter } from '../train/peft-read';
import { SEPARATE_PROJECTIONS } from './lora';
import { ModelRunner } from './model-runner';

const sessions = new SessionCache({ threads: 1 });
afterAll(() => sessions.dispose());

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return a.length === b.length ? max : Infinity;
}

describe('ModelRunner base-only session', () => {
  it('plain logits match the hooked session, and adapters still apply', async () => {
    const model = await tinyLlamaModel();
    const expected = await tinyLlamaExpected();
    const inputIds = { data: BigInt64Array.from(expected.inputIds.flat(), BigInt), dims: [2, 12] as [number, number] };
    const runner = await ModelRunner.open(model, sessions, SEPARATE_PROJECTIONS, { baseSession: true });
    const hookedKey = {
      model: model.contentHash,
      kind: ModelRunner.kind(SEPARATE_PROJECTIONS, true, runner.attention),
    };
    expect(sessions.has(hookedKey)).toBe(false);
    const plain = await runner.forward({ inputIds });
    expect(maxAbsDiff(plain.data, expected.logits.data)).toBeLessThan(1e-4);
    expect(sessions.has(hookedKey)).toBe(false);
    const lora = await readPeftAdapter(TINY_LORA, model.config);
    if (lora.kind !== 'lora') throw new Error('fixture is not a LoRA');
    const adapted = await runner.forward({ inputIds }, { adapter: lora.adapter });
    expect(sessions.has(hookedKey)).toBe(true);
    expect(maxAbsDiff(adapted.data, expected.lora_logits.data)).toBeLessThan(1e-4);
    const step = runner.createStep();
    const logits = await step.step({
      step: 0,
      inputIds: { data: inputIds.data.slice(0, 12), dims: [1, 12] },
      attentionMask: { data: new BigInt64Array(12).fill(1n), dims: [1, 12] },
      positionIds: { data: BigInt64Array.from({ length: 12 }, (_, i) => BigInt(i)), dims: [1, 12] },
      pastLength: 0,
      finished: [false],
    });
    expect(
      maxAbsDiff(logits, plain.data.slice(11 * model.config.vocab_size, 12 * model.config.vocab_size)),
    ).toBeLessThan(1e-4);
  });
});
