// The adapter-active check on the tiny Llama: the real PEFT LoRA and soft prompt are active, a freshly initialised
// LoRA (lora_B = 0) is refused with 'adapter-inactive', a NaN adapter with 'adapter-nonfinite'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { tensor } from '../graph';
import { SEPARATE_PROJECTIONS, ModelRunner, type LoraAdapter } from '../models';
import { SessionCache } from '../runtime';
import { assertAdapterActive, defaultCanaries, measureAdapterEffect } from './adapter-check';
import { readPeftAdapter, type PeftLora, type PeftPromptTuning } from './peft-read';
import { TINY_LORA, TINY_SOFT_PROMPT, tinyLlamaModel } from './testing/tiny-llama';

const sessions = new SessionCache({ threads: 1 });
afterAll(() => sessions.dispose());

let runner: ModelRunner;
let lora: PeftLora;
beforeAll(async () => {
  const model = await tinyLlamaModel();
  runner = await ModelRunner.open(model, sessions, SEPARATE_PROJECTIONS);
  lora = (await readPeftAdapter(TINY_LORA, model.config)) as PeftLora;
});

/** The same adapter with every B replaced: zeros (PEFT's initialisation) or NaN. */
function withB(adapter: LoraAdapter, value: number): LoraAdapter {
  return {
    scaling: adapter.scaling,
    layers: adapter.layers.map((l) =>
      Object.fromEntries(
        Object.entries(l).map(([m, w]) => [
          m,
          { A: w.A, B: tensor('float32', w.B.dims, new Float32Array(w.B.data.length).fill(value)) },
        ]),
      ),
    ),
  };
}

describe('adapter-active check', () => {
  it('the real PEFT LoRA is active and changes argmax tokens', async () => {
    const report = await assertAdapterActive(runner, { adapter: lora.adapter });
    console.log(
      `real LoRA: max |Δlogit| ${report.maxAbsDelta.toFixed(3)}, argmax changed at ${report.argmaxChanged}/${report.positions}`,
    );
    expect(report.active).toBe(true);
    expect(report.positions).toBe(36);
    expect(report.argmaxChanged).toBeGreaterThan(0);
  });

  it('the PEFT soft prompt is active', async () => {
    const soft = (await readPeftAdapter(TINY_SOFT_PROMPT, runner.model.config)) as PeftPromptTuning;
    const report = await measureAdapterEffect(runner, { softPrompt: soft.softPrompt }, { canaries: [[5, 6, 7, 8]] });
    expect([report.active, report.positions]).toEqual([true, 4]);
  });

  it('a freshly initialised LoRA (B = 0) is refused as inactive', async () => {
    const zero = withB(lora.adapter, 0);
    const report = await measureAdapterEffect(runner, { adapter: zero });
    expect(report).toMatchObject({ active: false, maxAbsDelta: 0, argmaxChanged: 0, finite: true });
    const error = await assertAdapterActive(runner, { adapter: zero }, { name: 'adapter v3' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('adapter-inactive');
    expect((error as UserError).where).toBe('adapter v3');
    expect((error as UserError).hint).toMatch(/lora_B weights are all zero/);
    const scaledToZero = await measureAdapterEffect(runner, { adapter: { ...lora.adapter, scaling: 0 } });
    expect(scaledToZero.active).toBe(false);
  });

  it('a NaN adapter is reported as broken, not as active', async () => {
    const error = await assertAdapterActive(runner, { adapter: withB(lora.adapter, NaN) }).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('adapter-nonfinite');
  });

  it('default canaries are deterministic and inside the vocabulary', () => {
    const rows = defaultCanaries(128);
    expect(rows).toEqual(defaultCanaries(128));
    expect(rows.flat().every((t) => t >= 0 && t < 128)).toBe(true);
  });
});
