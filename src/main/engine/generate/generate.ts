// The generation loop, independent of ORT: left-pads a batch of prompts, calls the injected model step (which owns
// the KV cache, past_key_values), picks each row's next token, stops rows independently and streams text events.
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import { attentionMask, columnOf, leftPad, positionIds, type Int64Tensor } from './inputs';
import { RowState, type GenerationTokenizer, type TokenEvent } from './row';
import { Sampler } from './sampler';
import { eosTokenIds, parseDecodingSettings, type DecodingSettings, type DecodingSettingsInput } from './settings';
import type { FinishReason, TokenCriteria } from './stopping';

/** What the model runs for one step. The KV cache stays with the step function. */
export interface StepInput {
  /** 0: prefill of the padded prompts (T = longest prompt); then one step per generated token (T = 1). */
  step: number;
  /** input_ids [B, T] */
  inputIds: Int64Tensor;
  /** attention_mask [B, P + T]: 0 over each row's left padding, 1 elsewhere (finished rows too, as in HF). */
  attentionMask: Int64Tensor;
  /** position_ids [B, T]: cumsum(attention_mask) - 1, padded positions 1 (transformers' masked_fill value). */
  positionIds: Int64Tensor;
  /** P: positions already in the caller's KV cache (past_sequence_length); 0 at the prefill. */
  pastLength: number;
  /** [B] rows already finished: they are fed the pad token and their logits are ignored. */
  finished: readonly boolean[];
}

/**
 * Runs the model on `input` and returns the logits of the last position, [B, V] row-major. generate() reads them
 * before its next call, so the step may reuse one buffer; it may throw CancelledError to cancel.
 */
export type StepFunction = (input: StepInput) => Promise<Float32Array>;

export interface GenerateOptions {
  /** [B][T_b] ragged prompt ids (no padding; this module left-pads). */
  promptIds: readonly (readonly number[])[];
  step: StepFunction;
  settings: DecodingSettingsInput | DecodingSettings;
  /**
   * [B] each row's own decoding (max_new_tokens, stop strings, sampling, seed, eos...), in place of `settings` for
   * that row; a batch of rows that differ (the serving endpoint's) decodes each row as it would alone.
   */
  rowSettings?: readonly (DecodingSettingsInput | DecodingSettings)[];
  tokenizer: GenerationTokenizer;
  /** The model's end ids (Checkpoint.eosTokenIds); settings.eos_token_id replaces them, ignore_eos drops them. */
  eosTokenIds?: readonly number[];
  /** Fed for padding and to finished rows; default: the first model eos id, else 0 (HF uses eos as pad too). */
  padTokenId?: number;
  /** Context length (max_position_embeddings): a row ends with 'length' when prompt + generated reaches it. */
  maxLength?: number;
  /** [B] per-row seeds (e.g. n samples of one prompt); default: each row's settings.seed. */
  seeds?: readonly number[];
  /** Checked between steps; on abort, unfinished rows end with finishReason 'cancelled' (no error is thrown). */
  signal?: AbortSignal;
  onToken?: (event: TokenEvent) => void;
  /** Milliseconds clock, injected by tests; default performance.now. */
  now?: () => number;
}

export interface GenerationResult {
  /** Generated ids, including the EOS token or the token that completed a stop string (as HF returns them). */
  tokenIds: number[];
  /** Decoded text of the generated ids, without EOS, without the stop string and anything after it. */
  text: string;
  finishReason: FinishReason;
  /** The stop string that ended the row, if one did. */
  stopString: string | null;
  promptTokens: number;
  generatedTokens: number;
  /** The PCG32 seed this row sampled with (recorded even for greedy rows). */
  seed: number;
  /** From the start of generate() to this row's first token; null when cancelled before it. */
  timeToFirstTokenMs: number | null;
  /** From the start of generate() to the end of this row. */
  totalMs: number;
}

/**
 * Generates for a batch of prompts; every row stops on its own (EOS, stop string, max_new_tokens, context length).
 * A row's output does not depend on the other rows: its repetition-penalty set excludes padding (HF's includes the
 * pad ids of a left-padded batch), and it samples from its own PCG32 stream. Cancellation returns partial results.
 */
export async function generate(options: GenerateOptions): Promise<GenerationResult[]> {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const prompts = options.promptIds;
  const settings = rowSettingsOf(options, prompts.length);
  checkPrompts(prompts, options.maxLength);
  if (prompts.length === 0) return [];
  if (options.seeds !== undefined && options.seeds.length !== prompts.length) {
    throw new BugError(`generate: ${options.seeds.length} seeds for ${prompts.length} prompts`);
  }
  for (const seed of options.seeds ?? [])
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff)
      throw new BugError(`generate: seed ${seed} is not a uint32`);
  const criteria: TokenCriteria[] = settings.map((s) => ({
    eosTokenIds: new Set(eosTokenIds(s, options.eosTokenIds ?? [])),
    maxNewTokens: s.max_new_tokens,
    maxLength: options.maxLength ?? null,
  }));
  const padTokenId = options.padTokenId ?? options.eosTokenIds?.[0] ?? 0;
  const rows = prompts.map((prompt, b) => {
    const own = settings[b] as DecodingSettings;
    return new RowState(b, prompt, options.seeds?.[b] ?? own.seed, options.tokenizer, {
      skipSpecialTokens: own.skip_special_tokens,
      stopStrings: own.stop_strings,
    });
  });
  const { inputIds, padLengths } = leftPad(prompts, padTokenId);
  const promptWidth = inputIds.dims[1];
  // Not `onToken?.(row.accept(...))`: optional chaining would skip the call inside when there is no listener.
  const emit = (event: TokenEvent): void => options.onToken?.(event);
  let input = stepInput(0, inputIds, padLengths, promptWidth, rows);
  let samplers: Sampler[] | null = null; // [B], rows of equal sampling settings share one
  let scratch = new Float32Array(0); // [V] one row's logits while its processors run

  for (let step = 0; ; step++) {
    const logits = options.signal?.aborted ? null : await runStep(options.step, input);
    // A step that finishes after the abort is discarded: no tokens or events follow a cancellation.
    if (logits === null || options.signal?.aborted) {
      for (const row of rows) if (!row.finished) emit(row.cancel(now()));
      break;
    }
    const vocab = vocabSize(logits, rows.length, step, samplers?.[0]?.vocabSize);
    if (samplers === null) {
      checkTokenIds(prompts, padTokenId, vocab);
      samplers = samplersFor(settings, vocab);
      scratch = new Float32Array(vocab);
    }
    for (const row of rows) {
      if (row.finished) continue;
      scratch.set(logits.subarray(row.index * vocab, (row.index + 1) * vocab));
      const sampler = samplers[row.index] as Sampler;
      const id = sampler.next(scratch, row.seen, row.random, `generate step ${step}, row ${row.index}`);
      emit(row.accept(id, criteria[row.index] as TokenCriteria, now()));
    }
    if (rows.every((row) => row.finished)) break;
    const next = columnOf(rows.map((row) => (row.finished ? padTokenId : row.tokenIds[row.tokenIds.length - 1]!)));
    input = stepInput(step + 1, next, padLengths, promptWidth + step + 1, rows);
  }
  return rows.map((row) => result(row, startedAt));
}

/** [B] each row's parsed settings: its own when rowSettings is given, else the batch's. */
function rowSettingsOf(options: GenerateOptions, batch: number): DecodingSettings[] {
  if (options.rowSettings === undefined) {
    const settings = parseDecodingSettings(options.settings);
    return Array.from({ length: batch }, () => settings);
  }
  if (options.rowSettings.length !== batch)
    throw new BugError(`generate: ${options.rowSettings.length} row settings for ${batch} prompts`);
  return options.rowSettings.map((s) => parseDecodingSettings(s));
}

/** [B] samplers; rows whose sampling settings are equal share one (and its V-sized scratch). */
function samplersFor(settings: readonly DecodingSettings[], vocab: number): Sampler[] {
  const byKey = new Map<string, Sampler>();
  return settings.map((s) => {
    const picked = {
      do_sample: s.do_sample,
      temperature: s.temperature,
      top_k: s.top_k,
      top_p: s.top_p,
      min_p: s.min_p,
      repetition_penalty: s.repetition_penalty,
    };
    const key = JSON.stringify(picked);
    let sampler = byKey.get(key);
    if (!sampler) byKey.set(key, (sampler = new Sampler(picked, vocab)));
    return sampler;
  });
}

function stepInput(
  step: number,
  inputIds: Int64Tensor,
  padLengths: number[],
  width: number,
  rows: RowState[],
): StepInput {
  const mask = attentionMask(padLengths, width);
  const length = inputIds.dims[1];
  return {
    step,
    inputIds,
    attentionMask: mask,
    positionIds: positionIds(mask, length),
    pastLength: width - length,
    finished: rows.map((row) => row.finished),
  };
}

/** The step's logits, or null when it reports a cancellation itself. */
async function runStep(step: StepFunction, input: StepInput): Promise<Float32Array | null> {
  try {
    return await step(input);
  } catch (error) {
    if (error instanceof CancelledError) return null;
    throw error;
  }
}

function vocabSize(logits: Float32Array, batch: number, step: number, expected: number | undefined): number {
  const vocab = logits.length / batch;
  if (!Number.isInteger(vocab) || vocab < 1 || (expected !== undefined && vocab !== expected)) {
    throw new BugError(
      `generate step ${step}: the model returned ${logits.length} logits for a batch of ${batch}; expected [B, V]${expected === undefined ? '' : ` with V = ${expected}`}`,
    );
  }
  return vocab;
}

function checkPrompts(prompts: readonly (readonly number[])[], maxLength: number | undefined): void {
  prompts.forEach((prompt, b) => {
    if (prompt.length === 0) {
      throw new UserError(`Prompt ${b + 1} is empty.`, {
        where: `prompt ${b + 1}`,
        hint: 'Give the model at least one token to continue (most tokenizers add a BOS token to raw text).',
        code: 'prompt-empty',
      });
    }
    if (maxLength !== undefined && prompt.length >= maxLength) {
      throw new UserError(
        `Prompt ${b + 1} has ${prompt.length} tokens, but the model's context holds ${maxLength} (prompt and output together).`,
        {
          where: `prompt ${b + 1}`,
          hint: 'Shorten the prompt or use fewer demonstrations.',
          code: 'context-length',
        },
      );
    }
    for (const id of prompt)
      if (!Number.isInteger(id) || id < 0)
        throw new BugError(`generate: prompt ${b + 1} holds ${id}, which is not a token id`);
  });
}

function checkTokenIds(prompts: readonly (readonly number[])[], padTokenId: number, vocab: number): void {
  if (!Number.isInteger(padTokenId) || padTokenId < 0 || padTokenId >= vocab)
    throw new BugError(`generate: pad token id ${padTokenId} is outside the model's vocabulary of ${vocab}`);
  prompts.forEach((prompt, b) => {
    for (const id of prompt)
      if (id >= vocab)
        throw new BugError(`generate: prompt ${b + 1} holds token id ${id}, but the model's vocabulary has ${vocab}`);
  });
}

function result(row: RowState, startedAt: number): GenerationResult {
  if (row.finishReason === null || row.finishedAt === null)
    throw new BugError(`generate: row ${row.index} ended without a finish reason`);
  return {
    tokenIds: row.tokenIds,
    text: row.text,
    finishReason: row.finishReason,
    stopString: row.stopString,
    promptTokens: row.prompt.length,
    generatedTokens: row.tokenIds.length,
    seed: row.seed,
    timeToFirstTokenMs: row.firstTokenAt === null ? null : row.firstTokenAt - startedAt,
    totalMs: row.finishedAt - startedAt,
  };
}
