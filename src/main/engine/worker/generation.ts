// The worker's generation methods: loadModel / unloadModel manage the loaded-model cache; generate encodes the
// prompts (chat template, raw text or ids), runs the batched KV-cache loop with the model's defaults under the
// caller's overrides, streams TokenEvents as progress and turns a cancel into partial results ('cancelled' rows).
import { BugError, UserError } from '../../../shared/errors';
import { generate, type GenerationResult, type StepFunction } from '../generate';
import type { GeneratedRow } from '../../../shared/contract/generation';
import type { DecodingSettings } from '../../../shared/decoding-settings';
import type { GenerationPrompt } from '../generation-protocol';
import type { Checkpoint, Specialization } from '../models';
import type { EngineMethods, Params, WorkerConfig } from '../protocol';
import { resolveSettings } from './decoding-defaults';
import type { HandlerTable } from './handler';
import { LoadedAdapters } from './loaded-adapters';
import { LoadedModels } from './loaded-models';
import { toSpecialization } from './specialization';
import { weightsFor } from './weights';

/** One cache per worker, made on first use with the worker's thread settings; ends with the worker process. */
let cache: LoadedModels | undefined;
function models(config: WorkerConfig): LoadedModels {
  cache ??= new LoadedModels({
    threads: config.threads,
    spinThreads: config.spinThreads,
    weights: (hash, format) => weightsFor(config, hash, format),
  });
  return cache;
}
const adapters = new LoadedAdapters();
type GenerateParams = Params<'generate'>;

export const generationHandlers: Pick<
  HandlerTable<EngineMethods>,
  'loadModel' | 'unloadModel' | 'countTokens' | 'generate'
> = {
  loadModel: async (ref, ctx) => {
    const lease = await models(ctx.config).acquire(ref);
    try {
      const { checkpoint } = lease.model;
      return {
        contentHash: checkpoint.contentHash,
        defaults: resolveSettings(checkpoint, {}),
        hasChatTemplate: checkpoint.tokenizer.chatTemplate !== null,
        contextLength: checkpoint.contextLength,
        loadMs: lease.loadMs,
      };
    } finally {
      lease.release();
    }
  },

  unloadModel: async ({ folder }, ctx) => ({ unloaded: await models(ctx.config).unload(folder) }),

  countTokens: async (params, ctx) => {
    const lease = await models(ctx.config).acquire(params.model);
    try {
      const { checkpoint } = lease.model;
      return { counts: params.prompts.map((p, b) => encodePrompt(checkpoint, p, b, params.prompts.length).length) };
    } finally {
      lease.release();
    }
  },

  generate: async (params, ctx) => {
    const lease = await models(ctx.config).acquire(params.model);
    try {
      await ctx.checkpoint();
      const { checkpoint, runner } = lease.model;
      const settings = resolveSettings(checkpoint, params.settings);
      const promptIds = params.prompts.map((prompt, b) => encodePrompt(checkpoint, prompt, b, params.prompts.length));
      const rows = params.rows ? await perRow(params, checkpoint) : null;
      const spec =
        rows?.specs ??
        (params.adapterFolders.length > 0
          ? await adapters.specialization(params.adapterFolders, checkpoint.config, checkpoint.contentHash)
          : toSpecialization(checkpoint.config, params.adapter, params.softPrompt));
      const kv = runner.createStep(spec);
      // Resident memory after each step: the KV cache and ORT's buffers peak during decoding, not before or after.
      let peakRssBytes = process.memoryUsage.rss();
      // A cancel lands between steps: checkpoint() throws CancelledError, which generate() turns into partial rows.
      const step: StepFunction = async (input) => {
        await ctx.checkpoint();
        const out = await kv.step(input);
        peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
        return out;
      };
      const padTokenId = checkpoint.generation_config?.pad_token_id ?? checkpoint.tokenizer.specialTokens.pad?.id;
      const results = await generate({
        promptIds,
        step,
        settings,
        ...(rows ? { rowSettings: rows.settings } : {}),
        tokenizer: checkpoint.tokenizer,
        eosTokenIds: checkpoint.eosTokenIds,
        maxLength: checkpoint.contextLength,
        ...(padTokenId !== undefined && padTokenId !== null && padTokenId < checkpoint.config.vocab_size
          ? { padTokenId }
          : {}),
        ...(params.seeds ? { seeds: params.seeds } : {}),
        ...(params.stream ? { onToken: (event) => ctx.progress(event) } : {}),
      });
      kv.reset();
      return {
        rows: results.map(withRate),
        settings,
        contentHash: checkpoint.contentHash,
        loadMs: lease.loadMs,
        peakRssBytes,
      };
    } finally {
      lease.release();
    }
  },
};

/** Each row's specialization (from its adapter folders) and settings (defaults, the batch's, the row's own). */
async function perRow(
  params: GenerateParams,
  checkpoint: Checkpoint,
): Promise<{ specs: Specialization[]; settings: DecodingSettings[] }> {
  const rows = params.rows ?? [];
  if (rows.length !== params.prompts.length)
    throw new BugError(`generate: ${rows.length} rows for ${params.prompts.length} prompts`);
  if (params.adapter !== null || params.softPrompt !== null || params.adapterFolders.length > 0)
    throw new BugError('generate: per-row adapters come with rows, not with adapter, softPrompt or adapterFolders');
  const specs = await Promise.all(
    rows.map((row) =>
      row.adapterFolders.length > 0
        ? adapters.specialization(row.adapterFolders, checkpoint.config, checkpoint.contentHash)
        : {},
    ),
  );
  const settings = rows.map((row, b) => {
    try {
      return resolveSettings(checkpoint, { ...params.settings, ...row.settings });
    } catch (error) {
      if (!(error instanceof UserError) || rows.length === 1) throw error;
      throw new UserError(`Row ${b + 1}: ${error.message}`, { ...optional(error), cause: error });
    }
  });
  return { specs, settings };
}

function encodePrompt(checkpoint: Checkpoint, prompt: GenerationPrompt, b: number, batch: number): number[] {
  switch (prompt.mode) {
    case 'ids':
      return prompt.ids;
    case 'raw':
      return checkpoint.tokenizer.encodePrompt({ mode: 'raw', text: prompt.text });
    case 'chat':
      try {
        return checkpoint.tokenizer.encodePrompt({ mode: 'chat', messages: prompt.messages });
      } catch (error) {
        if (!(error instanceof UserError) || batch === 1) throw error;
        // Say which prompt of the batch the template refused.
        throw new UserError(`Prompt ${b + 1}: ${error.message}`, { ...optional(error), cause: error });
      }
    default:
      throw new BugError(`unknown prompt mode ${(prompt as { mode: string }).mode}`);
  }
}

function optional(error: UserError): { hint?: string; where?: string; code?: string } {
  return Object.fromEntries(
    Object.entries({ hint: error.hint, where: error.where, code: error.code }).filter(([, v]) => v !== undefined),
  );
}

function withRate(row: GenerationResult): GeneratedRow {
  const first = row.timeToFirstTokenMs;
  const decodeMs = first === null ? 0 : row.totalMs - first;
  return {
    ...row,
    tokensPerSecond: row.generatedTokens >= 2 && decodeMs > 0 ? ((row.generatedTokens - 1) * 1000) / decodeMs : null,
  };
}
