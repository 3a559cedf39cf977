// Generation from a registered model (the Playground, later experiments): start a run and get its id at once, follow
// it through onToken events, get its results (or its error) in onFinished, cancel it. The seed is always recorded.
// The Playground's picks and decoding settings are kept per workspace.
import { z } from 'zod';
import { DecodingOverrides, DecodingSettings } from '../decoding-settings';
import { ErrorShape } from '../errors';
import { defineService, method } from './define';
import { ModelId } from './models';

const count = z.number().int().nonnegative();

export const RunId = z.string().min(1).max(64);

export const ChatRole = z.enum(['system', 'user', 'assistant']);
export const PromptMessage = z.object({ role: ChatRole, content: z.string() }).strict();

/** A chat through the model's chat template, or raw text the model continues as-is. */
export const PlaygroundPrompt = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('chat'), messages: z.array(PromptMessage).min(1, 'Write a message first') }).strict(),
  z.object({ mode: z.literal('raw'), text: z.string().min(1, 'Write a prompt first') }).strict(),
]);
export type PlaygroundPrompt = z.infer<typeof PlaygroundPrompt>;

export const FinishReason = z.enum(['eos', 'stop', 'length', 'cancelled']);
export type FinishReason = z.infer<typeof FinishReason>;

/** One prompt's output. */
export const GeneratedRow = z.object({
  text: z.string(),
  /** Generated ids, the EOS or stop-string token included (as Hugging Face returns them). */
  tokenIds: z.array(count),
  finishReason: FinishReason,
  stopString: z.string().nullable(),
  promptTokens: count,
  generatedTokens: count,
  seed: count,
  /** From the start of generation (prefill included, model loading not) to the first token. */
  timeToFirstTokenMs: z.number().nullable(),
  totalMs: z.number(),
  /** Decode rate after the first token: (generated - 1) / (total - time to first token); null below 2 tokens. */
  tokensPerSecond: z.number().nullable(),
});
export type GeneratedRow = z.infer<typeof GeneratedRow>;

export const GenerationResult = z.object({
  modelId: z.string(),
  contentHash: z.string(),
  /** Every setting the run used: the model's defaults with the caller's overrides on top, the seed included. */
  settings: DecodingSettings,
  seed: count,
  rows: z.array(GeneratedRow),
  /** Milliseconds spent loading the model for this run (0 when it was loaded already). */
  loadMs: z.number(),
  /** From start() to the results, as the caller waited. */
  totalMs: z.number(),
});
export type GenerationResult = z.infer<typeof GenerationResult>;

export const TokenDelta = z.object({
  runId: RunId,
  row: count,
  /** Text that became final; all deltas of a row add up to its text. May be '' while a character is incomplete. */
  delta: z.string(),
  generatedTokens: count,
});
export type TokenDelta = z.infer<typeof TokenDelta>;

/**
 * How a run ended. A cancel never reads as a failure: a run cancelled after its first token ends `ok` with each row's
 * text so far and finish reason 'cancelled'; one cancelled before any token (still queued, or loading the model) ends
 * with an error of kind 'cancelled' and no rows, which screens show as "cancelled", not as an error.
 */
export const GenerationFinished = z.discriminatedUnion('ok', [
  z.object({ runId: RunId, ok: z.literal(true), result: GenerationResult }),
  z.object({ runId: RunId, ok: z.literal(false), error: ErrorShape }),
]);
export type GenerationFinished = z.infer<typeof GenerationFinished>;

/** What the Playground shows before a run: the model's own defaults (generation_config.json) and its abilities. */
export const ModelDecodingDefaults = z.object({
  modelId: z.string(),
  settings: DecodingSettings,
  hasChatTemplate: z.boolean(),
  contextLength: count,
});
export type ModelDecodingDefaults = z.infer<typeof ModelDecodingDefaults>;

export const StartGeneration = z
  .object({
    modelId: ModelId,
    prompts: z.array(PlaygroundPrompt).min(1).max(16),
    /** Overrides of the model's defaults; a seed left out is drawn at random (and recorded in the result). */
    settings: DecodingOverrides.default({}),
  })
  .strict();

const PartId = z.string().trim().min(1).max(64).nullable().default(null);

/**
 * What the Playground had picked, per workspace: a saved specialization (run as stored, with the decoding below), or
 * a model with any of its parts; the prompt mode for a model without a template; the decoding settings it sends.
 */
export const PlaygroundSettings = z
  .object({
    specializationId: PartId,
    modelId: PartId,
    loraAdapterId: PartId,
    softPromptAdapterId: PartId,
    templateVersionId: PartId,
    demonstrationSetVersionId: PartId,
    promptMode: z.enum(['chat', 'raw']).default('chat'),
    decoding: DecodingOverrides.default({}),
  })
  .strict();
export type PlaygroundSettings = z.infer<typeof PlaygroundSettings>;

export const generationContract = defineService(
  'generation',
  {
    /** Loads the model in the engine (so the first run starts fast) and returns its decoding defaults. */
    prepare: method(z.object({ modelId: ModelId }).strict(), ModelDecodingDefaults),
    /** Starts a run and answers at once; its tokens and results come as onToken and onFinished events. */
    start: method(StartGeneration, z.object({ runId: RunId, seed: count })),
    /** Cancels a run: its rows end with finish reason 'cancelled' and keep their text. False when it had ended. */
    cancel: method(z.object({ runId: RunId }).strict(), z.object({ cancelled: z.boolean() })),
    /** The open workspace's Playground settings as last saved (the defaults when none were). */
    playgroundSettings: method(z.object({}).strict(), PlaygroundSettings),
    savePlaygroundSettings: method(PlaygroundSettings, z.null()),
  },
  {
    onToken: TokenDelta,
    onFinished: GenerationFinished,
  },
);
