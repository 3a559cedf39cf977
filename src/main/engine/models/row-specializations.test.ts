// Per-row adapters, soft prompts and decoding on the tiny Llama with its real PEFT LoRA and prompt-tuning adapters: a
// batch whose rows differ in all three gives each row the logits and the greedy and seeded sampled tokens it gets
// alone, rows finishing early included; a batch whose rows agree stays on the one-specialization session.
import { afterAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../graph';
import { generate, type DecodingSettingsInput, type GenerationTokenizer } from '../generate';
import { SessionCache } from '../runtime';
import { readPeftAdapter } from '../train/peft-read';
import { tinyLlamaModel, TINY_LORA, TINY_SOFT_PROMPT } from '../train/testing/tiny-llama';
import { SEPARATE_PROJECTIONS, type LoraAdapter, type LoraModule, type LoraWeights } from './lora';
import { ModelRunner, type RunnerModel, type Specialization } from './model-runner';
import { maxAbsDiff } from './testing/compare';

const sessions = new SessionCache({ threads: 1 });
afterAll(() => sessions.dispose());

/** Ids shown as `<id>`, so stop strings can name a token. */
const tokenizer: GenerationTokenizer = {
  createStreamDecoder: () => ({ push: (...ids) => ids.map((id) => `<${id}>`).join(''), flush: () => '' }),
};
const EOS = 2;
const PROMPTS = [
  [1, 5, 9, 22, 7],
  [1, 40],
  [1, 3, 3, 8, 90, 17, 6],
  [1, 64, 2, 33],
  [1, 11, 12],
];

/** The adapter cut to its first `rank` ranks on `modules` only, with another scaling: a second, different LoRA. */
function truncated(adapter: LoraAdapter, rank: number, modules: readonly LoraModule[]): LoraAdapter {
  const layers = adapter.layers.map((layer) => {
    const out: Partial<Record<LoraModule, LoraWeights>> = {};
    for (const m of modules) {
      const w = layer[m];
      if (!w) continue;
      const [r, inF] = w.A.dims as [number, number];
      const outF = w.B.dims[0] as number;
      const B = new Float32Array(outF * rank);
      for (let o = 0; o < outF; o++) B.set(w.B.data.subarray(o * r, o * r + rank), o * rank);
      out[m] = {
        A: tensor('float32', [rank, inF], w.A.data.slice(0, rank * inF)),
        B: tensor('float32', [outF, rank], B),
      };
    }
    return out;
  });
  return { layers, scaling: adapter.scaling * 3 };
}

interface Fixture {
  runner: RunnerModel;
  specs: Specialization[];
}

async function fixture(): Promise<Fixture> {
  const model = await tinyLlamaModel();
  const lora = await readPeftAdapter(TINY_LORA, model.config);
  const soft = await readPeftAdapter(TINY_SOFT_PROMPT, model.config);
  if (lora.kind !== 'lora' || soft.kind !== 'prompt_tuning') throw new Error('unexpected fixtures');
  const C = model.config.hidden_size;
  const shortSoft: Tensor<'float32'> = tensor('float32', [2, C], soft.softPrompt.data.slice(2 * C, 4 * C));
  const specs: Specialization[] = [
    { adapter: lora.adapter },
    { softPrompt: soft.softPrompt },
    {},
    { adapter: truncated(lora.adapter, 2, ['q_proj', 'v_proj', 'down_proj']), softPrompt: shortSoft },
    { adapter: lora.adapter, softPrompt: soft.softPrompt },
  ];
  return { runner: model, specs };
}

const SETTINGS: DecodingSettingsInput[] = [
  { max_new_tokens: 10 },
  { do_sample: true, temperature: 1.2, top_k: 0, seed: 7, max_new_tokens: 10 },
  { max_new_tokens: 3 },
  { do_sample: true, temperature: 0.8, top_p: 0.9, seed: 123, max_new_tokens: 10, repetition_penalty: 1.2 },
  { max_new_tokens: 10 },
];

describe('per-row adapters, soft prompts and decoding', () => {
  it('gives each row of a mixed batch the prefill logits it gets alone', async () => {
    const { runner: model, specs } = await fixture();
    const runner = await ModelRunner.open(model, sessions, SEPARATE_PROJECTIONS, { baseSession: true });
    const V = model.config.vocab_size;
    const prefill = (step: ReturnType<ModelRunner['createStep']>, prompts: number[][]) => {
      const width = Math.max(...prompts.map((p) => p.length));
      const ids = new BigInt64Array(prompts.length * width);
      const mask = new BigInt64Array(prompts.length * width);
      const positions = new BigInt64Array(prompts.length * width).fill(1n);
      prompts.forEach((p, b) =>
        p.forEach((id, t) => {
          const at = b * width + width - p.length + t;
          ids[at] = BigInt(id);
          mask[at] = 1n;
          positions[at] = BigInt(t);
        }),
      );
      const dims: [number, number] = [prompts.length, width];
      return step.step({
        step: 0,
        inputIds: { data: ids, dims },
        attentionMask: { data: mask, dims },
        positionIds: { data: positions, dims },
        pastLength: 0,
        finished: prompts.map(() => false),
      });
    };
    // All five, and three whose adapters leave some modules out altogether (rank 0 in every adapter of the batch).
    for (const rows of [
      [0, 1, 2, 3, 4],
      [3, 1, 2],
    ]) {
      const batched = (
        await prefill(
          runner.createStep(rows.map((b) => specs[b]!)),
          rows.map((b) => PROMPTS[b]!),
        )
      ).slice();
      for (const [i, b] of rows.entries()) {
        const alone = await prefill(runner.createStep(specs[b]!), [PROMPTS[b]!]);
        expect(maxAbsDiff(batched.subarray(i * V, (i + 1) * V), alone), `row ${b}`).toBeLessThan(1e-4);
      }
    }
    const perRow = {
      model: model.contentHash,
      kind: ModelRunner.kind(SEPARATE_PROJECTIONS, true, runner.attention, 'stored', true),
    };
    expect(sessions.has(perRow)).toBe(true);
  });

  it('generates for each row of a mixed batch, greedy and seeded sampling, the tokens it generates alone', async () => {
    const { runner: model, specs } = await fixture();
    const runner = await ModelRunner.open(model, sessions);
    const run = (spec: Specialization | Specialization[], prompts: number[][], rowSettings: DecodingSettingsInput[]) =>
      generate({
        promptIds: prompts,
        step: runner.createStep(spec).step,
        settings: {},
        rowSettings,
        tokenizer,
        eosTokenIds: [EOS],
        padTokenId: 0,
      });
    const alone = [];
    for (const [b, spec] of specs.entries()) alone.push((await run(spec, [PROMPTS[b]!], [SETTINGS[b]!]))[0]!);
    // Row 4 also stops on a string: the token it generates third.
    const stop = `<${alone[4]!.tokenIds[2]}>`;
    const settings = SETTINGS.map((s, b) => (b === 4 ? { ...s, stop_strings: [stop] } : s));
    alone[4] = (await run(specs[4]!, [PROMPTS[4]!], [settings[4]!]))[0]!;
    expect(alone[4]).toMatchObject({ finishReason: 'stop', generatedTokens: 3 });

    const batched = await run(specs, PROMPTS, settings);
    for (const [b, row] of alone.entries()) {
      expect(batched[b], `row ${b}`).toMatchObject({
        tokenIds: row.tokenIds,
        text: row.text,
        finishReason: row.finishReason,
      });
    }
    expect(new Set(batched.map((r) => r.generatedTokens)).size).toBeGreaterThan(1);
    // The adapters matter: the same prompt with and without them generates differently.
    const plain = await run({}, [PROMPTS[0]!], [SETTINGS[0]!]);
    expect(plain[0]?.tokenIds).not.toEqual(alone[0]?.tokenIds);
  });

  it('keeps a batch whose rows share one specialization on the one-specialization session', async () => {
    const { runner: model, specs } = await fixture();
    const cache = new SessionCache({ threads: 1 });
    try {
      const runner = await ModelRunner.open(model, cache);
      const same = { adapter: specs[0]!.adapter ?? null };
      const rows = await generate({
        promptIds: PROMPTS.slice(0, 2),
        step: runner.createStep([same, { ...same }]).step,
        settings: { max_new_tokens: 2 },
        tokenizer,
      });
      expect(rows).toHaveLength(2);
      const perRow = {
        model: model.contentHash,
        kind: ModelRunner.kind(SEPARATE_PROJECTIONS, true, runner.attention, 'stored', true),
      };
      expect(cache.has(perRow)).toBe(false);
    } finally {
      await cache.dispose();
    }
  });
});
