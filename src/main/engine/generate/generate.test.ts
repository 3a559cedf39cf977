// The generation loop against a fake table-driven model and a tiny byte-level tokenizer: stopping, streaming with
// held-back text, batched ragged prompts (same output per row as alone), step inputs, cancellation and timings.
import { describe, expect, it } from 'vitest';
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import { generate, type GenerateOptions, type GenerationResult } from './generate';
import { toRows } from './inputs';
import type { ModelTokenizer } from '../models';
import type { GenerationTokenizer, TokenEvent } from './row';
import type { DecodingSettingsInput } from './settings';
import { FakeModel, hashedLogits, oneHot, scripted, type NextLogits } from './testing/fake-model';
import { FakeTokenizer } from './testing/fake-tokenizer';

const tok = new FakeTokenizer(
  [
    '<pad>',
    '</s>',
    '<s>',
    'a',
    'b',
    'c',
    ' ',
    'Hello',
    ' world',
    'ST',
    'OP',
    '!',
    [0xe2, 0x82],
    [0xac],
    'x',
    'y',
    'z',
    '.',
  ],
  new Set([0, 1, 2]),
);
const V = tok.vocabSize;
const [PAD, EOS, BOS] = [0, 1, 2];
const EURO_HEAD = 12; // '€' is e2 82 ac: split over two tokens
const EURO_TAIL = 13;

interface Run {
  results: GenerationResult[];
  events: TokenEvent[];
  model: FakeModel;
}

async function run(
  prompts: number[][],
  next: NextLogits,
  settings: DecodingSettingsInput,
  extra: Partial<GenerateOptions> = {},
): Promise<Run> {
  const model = new FakeModel(V, next);
  const events: TokenEvent[] = [];
  const results = await generate({
    promptIds: prompts,
    step: model.step,
    settings,
    tokenizer: tok,
    eosTokenIds: [EOS],
    padTokenId: PAD,
    onToken: (event) => events.push(event),
    ...extra,
  });
  return { results, events, model };
}

const deltas = (events: TokenEvent[], row = 0): string[] => events.filter((e) => e.row === row).map((e) => e.delta);

it('takes the real ModelTokenizer as its tokenizer (checked by tsc)', () => {
  const fits = (tokenizer: ModelTokenizer): GenerationTokenizer => tokenizer;
  expect(typeof fits).toBe('function');
});

describe('generate: one row', () => {
  it('follows the greedy picks and stops at EOS, which is kept in the ids but not in the text', async () => {
    const { results, events } = await run(
      [[BOS, tok.id('Hello')]],
      scripted(V, tok.ids(' world', '!', '</s>'), EOS),
      {},
    );
    expect(results[0]).toMatchObject({
      tokenIds: tok.ids(' world', '!', '</s>'),
      text: ' world!',
      finishReason: 'eos',
      stopString: null,
      promptTokens: 2,
      generatedTokens: 3,
      seed: 0,
    });
    expect(events.map((e) => [e.tokenId, e.delta, e.generatedTokens, e.finishReason])).toEqual([
      [tok.id(' world'), ' world', 1, null],
      [tok.id('!'), '!', 2, null],
      [EOS, '', 3, 'eos'],
    ]);
  });

  it('stops after max_new_tokens with reason length', async () => {
    const { results, model } = await run([[BOS]], scripted(V, [], tok.id('a')), { max_new_tokens: 4 });
    expect(results[0]).toMatchObject({ text: 'aaaa', finishReason: 'length', generatedTokens: 4 });
    expect(model.inputs.length).toBe(4);
  });

  it('stops at the context length (maxLength) and rejects prompts that fill it', async () => {
    const { results } = await run(
      [[BOS, 3, 4]],
      scripted(V, [], tok.id('a')),
      { max_new_tokens: 50 },
      { maxLength: 5 },
    );
    expect(results[0]).toMatchObject({ generatedTokens: 2, finishReason: 'length' });
    const error = await run([[BOS, 3, 4]], scripted(V, [], 3), {}, { maxLength: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('context-length');
  });

  it('ends at a stop string split across tokens; the text and the stream exclude it', async () => {
    const script = tok.ids('a', 'ST', 'OP', 'b');
    const { results, events } = await run([[BOS]], scripted(V, script, EOS), { stop_strings: ['STOP'] });
    expect(results[0]).toMatchObject({
      text: 'a',
      finishReason: 'stop',
      stopString: 'STOP',
      tokenIds: tok.ids('a', 'ST', 'OP'),
    });
    expect(deltas(events)).toEqual(['a', '', '']); // "ST" was held back, never streamed
    expect(events.at(-1)?.finishReason).toBe('stop');
  });

  it('releases held-back text when it turns out not to be a stop string', async () => {
    const { results, events } = await run([[BOS]], scripted(V, tok.ids('ST', 'a', '</s>'), EOS), {
      stop_strings: ['STOP'],
    });
    expect(deltas(events)).toEqual(['', 'STa', '']);
    expect(results[0]).toMatchObject({ text: 'STa', finishReason: 'eos' });
  });

  it('flushes held-back text when the row ends for another reason', async () => {
    const { results, events } = await run([[BOS]], scripted(V, tok.ids('a', 'ST'), EOS), {
      stop_strings: ['STOP'],
      max_new_tokens: 2,
    });
    expect(deltas(events)).toEqual(['a', 'ST']);
    expect(results[0]).toMatchObject({ text: 'aST', finishReason: 'length' });
  });

  it('finds a stop string whose character is split across byte tokens', async () => {
    const script = [tok.id('x'), EURO_HEAD, EURO_TAIL, tok.id('!'), tok.id('y')];
    const { results, events } = await run([[BOS]], scripted(V, script, EOS), { stop_strings: ['€!'] });
    expect(results[0]).toMatchObject({ text: 'x', finishReason: 'stop', stopString: '€!', generatedTokens: 4 });
    expect(deltas(events)).toEqual(['x', '', '', '']);
    const plain = await run([[BOS]], scripted(V, script, EOS), { max_new_tokens: 5 });
    expect(deltas(plain.events)).toEqual(['x', '', '€', '!', 'y']);
  });

  it('keeps the leading space of the first generated word (the prompt is the decoder context)', async () => {
    const { results } = await run([[BOS, tok.id('Hello')]], scripted(V, tok.ids(' world'), EOS), {});
    expect(results[0]?.text).toBe(' world');
  });

  it('uses settings.eos_token_id over the model eos, and ignore_eos', async () => {
    const script = tok.ids('a', '</s>', 'b', '.', 'c');
    const custom = await run([[BOS]], scripted(V, script, EOS), { eos_token_id: tok.id('.') });
    expect(custom.results[0]).toMatchObject({ text: 'ab', finishReason: 'eos', generatedTokens: 4 });
    const ignored = await run([[BOS]], scripted(V, script, EOS), { ignore_eos: true, max_new_tokens: 5 });
    expect(ignored.results[0]).toMatchObject({ text: 'ab.c', finishReason: 'length' });
    const shown = await run([[BOS]], scripted(V, script, EOS), {
      ignore_eos: true,
      max_new_tokens: 5,
      skip_special_tokens: false,
    });
    expect(shown.results[0]?.text).toBe('a</s>b.c');
  });

  it('reports time to first token and total time from the injected clock', async () => {
    let clock = 1000;
    const model = new FakeModel(V, scripted(V, tok.ids('a', 'b', '</s>'), EOS), { onStep: () => (clock += 10) });
    const [result] = await generate({
      promptIds: [[BOS]],
      step: model.step,
      settings: {},
      tokenizer: tok,
      eosTokenIds: [EOS],
      now: () => clock,
    });
    expect(result).toMatchObject({ timeToFirstTokenMs: 10, totalMs: 30 });
  });

  it('rejects bad settings and empty prompts with UserErrors, and returns nothing for no prompts', async () => {
    await expect(run([[BOS]], scripted(V, [], 3), { top_p: 2 })).rejects.toThrow(/top_p/);
    await expect(run([[BOS], []], scripted(V, [], 3), {})).rejects.toThrow(UserError);
    expect((await run([], scripted(V, [], 3), {})).results).toEqual([]);
  });

  it('treats a step that returns the wrong number of logits as a bug', async () => {
    const ragged = generate({
      promptIds: [[BOS], [BOS]],
      step: async () => new Float32Array(2 * V + 1),
      settings: {},
      tokenizer: tok,
    });
    await expect(ragged).rejects.toThrow(BugError);
    let calls = 0;
    const changing = generate({
      promptIds: [[BOS]],
      step: async () => new Float32Array(calls++ === 0 ? V : V + 1),
      settings: {},
      tokenizer: tok,
    });
    await expect(changing).rejects.toThrow(
      /step 1: the model returned 19 logits for a batch of 1; expected \[B, V\] with V = 18/,
    );
  });
});

describe('generate: batches', () => {
  /** Pseudo-random logits of the whole history, with EOS made likely so rows end at different steps. */
  const model: NextLogits = (context) => {
    const row = Float32Array.from(hashedLogits(V, 6)(context));
    row[EOS] = row[EOS]! + 1.5;
    row[PAD] = -Infinity;
    return row;
  };
  const prompts = [[BOS, tok.id('Hello')], [BOS, 3, 4, 5, 6, 7], [BOS], [BOS, 14, 15]];

  for (const [name, settings] of [
    ['greedy with a repetition penalty', { max_new_tokens: 12, repetition_penalty: 1.3 }],
    ['sampling', { do_sample: true, temperature: 0.9, top_k: 8, top_p: 0.95, seed: 11, max_new_tokens: 12 }],
  ] as const) {
    it(`gives each row of a ragged batch the output it gets alone (${name})`, async () => {
      const batched = await run(prompts, model, settings);
      for (const [b, prompt] of prompts.entries()) {
        const alone = await run([prompt], model, settings);
        const { tokenIds, text, finishReason } = alone.results[0]!;
        expect(batched.results[b], `row ${b}`).toMatchObject({ tokenIds, text, finishReason });
        expect(deltas(batched.events, b).join('')).toBe(batched.results[b]?.text);
      }
      const lengths = new Set(batched.results.map((r) => r.generatedTokens));
      expect(lengths.size, 'rows should end at different steps').toBeGreaterThan(1);
    });
  }

  it('decodes each row with its own settings (rowSettings) as it decodes alone', async () => {
    const own: DecodingSettingsInput[] = [
      { max_new_tokens: 12, repetition_penalty: 1.3 },
      { do_sample: true, temperature: 0.9, top_k: 8, top_p: 0.95, seed: 11, max_new_tokens: 12 },
      { max_new_tokens: 3, ignore_eos: true },
      { do_sample: true, temperature: 1.4, top_k: 0, seed: 5, max_new_tokens: 9, stop_strings: ['c'] },
    ];
    const batched = await run(prompts, model, { max_new_tokens: 1 }, { rowSettings: own });
    for (const [b, prompt] of prompts.entries()) {
      const alone = await run([prompt], model, own[b]!);
      const { tokenIds, text, finishReason, seed } = alone.results[0]!;
      expect(batched.results[b], `row ${b}`).toMatchObject({ tokenIds, text, finishReason, seed });
      expect(deltas(batched.events, b).join('')).toBe(batched.results[b]?.text);
    }
    expect(batched.results[2]).toMatchObject({ generatedTokens: 3, finishReason: 'length' });
    await expect(run(prompts, model, {}, { rowSettings: own.slice(1) })).rejects.toThrow(BugError);
    await expect(run(prompts, model, {}, { rowSettings: [...own.slice(1), { top_p: 2 }] })).rejects.toThrow(UserError);
  });

  it('feeds the model left-padded input_ids, the attention mask and position ids of transformers', async () => {
    const next = scripted(V, tok.ids('a', 'b'), EOS);
    const { model } = await run([[BOS, 3, 4], [BOS]], next, { max_new_tokens: 2 });
    const [prefill, decode] = model.inputs;
    expect(toRows(prefill!.inputIds)).toEqual([
      [BOS, 3, 4],
      [PAD, PAD, BOS],
    ]);
    expect(toRows(prefill!.attentionMask)).toEqual([
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(toRows(prefill!.positionIds)).toEqual([
      [0, 1, 2],
      [1, 1, 0],
    ]);
    expect(prefill!.pastLength).toBe(0);
    expect(toRows(decode!.inputIds)).toEqual([[tok.id('a')], [tok.id('a')]]);
    expect(toRows(decode!.attentionMask)).toEqual([
      [1, 1, 1, 1],
      [0, 0, 1, 1],
    ]);
    expect(toRows(decode!.positionIds)).toEqual([[3], [1]]);
    expect(decode!.pastLength).toBe(3);
  });

  it('stops rows independently: a finished row is fed padding and its output is frozen', async () => {
    const next: NextLogits = ({ step, row }) => oneHot(V, row === 0 ? ([3, EOS][step] ?? 3) : 4);
    const { results, events, model } = await run([[BOS], [BOS]], next, { max_new_tokens: 4 });
    expect(results[0]).toMatchObject({ tokenIds: [3, EOS], text: 'a', finishReason: 'eos' });
    expect(results[1]).toMatchObject({ tokenIds: [4, 4, 4, 4], text: 'bbbb', finishReason: 'length' });
    expect(model.inputs.map((input) => input.finished)).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [true, false],
    ]);
    expect(toRows(model.inputs[2]!.inputIds)).toEqual([[PAD], [4]]);
    expect(toRows(model.inputs[3]!.attentionMask)).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(events.filter((e) => e.row === 0).length).toBe(2);
  });

  it('samples each row with its own seed when seeds are given', async () => {
    const settings = { do_sample: true, top_k: 0, max_new_tokens: 10, ignore_eos: true };
    const flat: NextLogits = () => new Float32Array(V).fill(0);
    const { results } = await run([[BOS], [BOS], [BOS]], flat, settings, { seeds: [1, 2, 1] });
    expect(results.map((r) => r.seed)).toEqual([1, 2, 1]);
    expect(results[0]?.tokenIds).toEqual(results[2]?.tokenIds);
    expect(results[0]?.tokenIds).not.toEqual(results[1]?.tokenIds);
    const again = await run([[BOS]], flat, { ...settings, seed: 2 });
    expect(again.results[0]?.tokenIds).toEqual(results[1]?.tokenIds);
  });
});

describe('generate: cancellation', () => {
  const next = scripted(V, tok.ids('a', 'b', 'c', 'ST', 'x'), EOS);

  it('ends every unfinished row with reason cancelled and partial output, calling no further step', async () => {
    const controller = new AbortController();
    const events: TokenEvent[] = [];
    const model = new FakeModel(V, next);
    const results = await generate({
      promptIds: [[BOS], [BOS, 3]],
      step: model.step,
      settings: { stop_strings: ['STOP'] },
      tokenizer: tok,
      eosTokenIds: [EOS],
      signal: controller.signal,
      onToken: (event) => {
        events.push(event);
        if (event.row === 0 && event.generatedTokens === 4) controller.abort();
      },
    });
    expect(model.inputs.length).toBe(4);
    for (const result of results)
      expect(result).toMatchObject({ finishReason: 'cancelled', generatedTokens: 4, text: 'abcST' });
    // The closing event carries the held-back "ST" (not a stop string after all) and no token.
    expect(events.filter((e) => e.tokenId === null).map((e) => [e.row, e.delta, e.finishReason])).toEqual([
      [0, 'ST', 'cancelled'],
      [1, 'ST', 'cancelled'],
    ]);
  });

  it('discards a step that finishes after the abort', async () => {
    const controller = new AbortController();
    const model = new FakeModel(V, next, { onStep: (input) => input.step === 2 && controller.abort() });
    const [result] = await generate({
      promptIds: [[BOS]],
      step: model.step,
      settings: {},
      tokenizer: tok,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ finishReason: 'cancelled', tokenIds: tok.ids('a', 'b'), text: 'ab' });
  });

  it('calls no step when already aborted', async () => {
    const model = new FakeModel(V, next);
    const [result] = await generate({
      promptIds: [[BOS]],
      step: model.step,
      settings: {},
      tokenizer: tok,
      signal: AbortSignal.abort(),
    });
    expect(model.inputs.length).toBe(0);
    expect(result).toMatchObject({ finishReason: 'cancelled', generatedTokens: 0, text: '', timeToFirstTokenMs: null });
  });

  it('treats a CancelledError from the step as a cancellation, and passes other errors on', async () => {
    const cancelling = new FakeModel(V, next, {
      onStep: (input) => {
        if (input.step === 1) throw new CancelledError();
      },
    });
    const [result] = await generate({ promptIds: [[BOS]], step: cancelling.step, settings: {}, tokenizer: tok });
    expect(result).toMatchObject({ finishReason: 'cancelled', tokenIds: tok.ids('a') });
    const failing = new FakeModel(V, next, {
      onStep: () => {
        throw new Error('session lost');
      },
    });
    await expect(generate({ promptIds: [[BOS]], step: failing.step, settings: {}, tokenizer: tok })).rejects.toThrow(
      'session lost',
    );
  });
});
