// The worker's weight settings (which format each model runs at, where caches live): started from WorkerConfig and
// changed by prepareWeights, which also builds the model's cache with progress. LoadedModels asks weightsFor() on
// every acquire, so a model whose format changed is loaded again on its next use. measureWeightQuality scores texts
// under the stored weights and a format's copy, in sessions of its own.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import type { WeightFormat } from '../../../shared/weight-format';
import { loadCheckpoint, ModelRunner, type Checkpoint } from '../models';
import { documentNll, type DocumentNll } from '../models/perplexity';
import { openWeightCache, WEIGHTS_FILE } from '../models/weight-cache';
import { SessionCache } from '../runtime';
import type { EngineMethods, WorkerConfig } from '../protocol';
import type { WeightSettings } from '../weights-protocol';
import type { HandlerTable } from './handler';

let settings: WeightSettings | undefined;

function current(config: WorkerConfig): WeightSettings {
  settings ??= { cacheFolder: config.weights?.cacheFolder ?? null, formats: { ...config.weights?.formats } };
  return settings;
}

/**
 * The format a model runs at now (or `named`, a request's own) and the cache folder for it (null: as stored, or no
 * cache folder configured for the model's setting; a request naming a quantized format without one is refused).
 */
export function weightsFor(
  config: WorkerConfig,
  contentHash: string,
  named?: WeightFormat,
): { format: Exclude<WeightFormat, 'stored'>; cacheFolder: string } | null {
  const s = current(config);
  const format = named ?? s.formats[contentHash] ?? 'stored';
  if (format === 'stored') return null;
  if (s.cacheFolder === null) {
    if (named === undefined) return null;
    throw new UserError(`This engine has no folder for quantized weights, so it cannot run the model at ${format}.`, {
      hint: 'Restart the app; the engine is given that folder when it starts.',
      code: 'weights-no-cache',
    });
  }
  return { format, cacheFolder: s.cacheFolder };
}

/** The registry's hash (of the whole files) is the model's identity; the loader checks the structure against it. */
async function registeredCheckpoint(folder: string, contentHash: string): Promise<Checkpoint> {
  const checkpoint = await loadCheckpoint(folder, { contentHash });
  if (checkpoint.contentHash !== contentHash) {
    throw new UserError("The model's files have changed since it was added.", {
      where: folder,
      hint: 'Open Models and add the folder again.',
      code: 'model-changed',
    });
  }
  return checkpoint;
}

export const weightHandlers: Pick<HandlerTable<EngineMethods>, 'prepareWeights' | 'measureWeightQuality'> = {
  prepareWeights: async ({ folder, contentHash, format, cacheFolder }, ctx) => {
    let bytes = 0;
    if (format !== 'stored') {
      const checkpoint = await registeredCheckpoint(folder, contentHash);
      const model = await openWeightCache(checkpoint, format, cacheFolder, { onProgress: (p) => ctx.progress(p) });
      bytes = (await stat(join(model.folder, WEIGHTS_FILE))).size;
    }
    const s = current(ctx.config);
    s.cacheFolder = cacheFolder;
    s.formats[contentHash] = format; // set once the cache exists: runs until now keep the previous format
    return { format, bytes };
  },
  measureWeightQuality: async ({ folder, contentHash, format, cacheFolder, texts }, ctx) => {
    const checkpoint = await registeredCheckpoint(folder, contentHash);
    const quantized = await openWeightCache(checkpoint, format, cacheFolder);
    const docs = texts
      .map((t) => checkpoint.tokenizer.encode(t).slice(0, checkpoint.contextLength))
      .filter((d) => d.length > 1);
    if (docs.length < 2)
      throw new UserError('Fewer than two of the texts are long enough to score (two tokens or more).', {
        hint: 'Measure on a dataset whose test rows hold longer text.',
        code: 'quality-texts',
      });
    // Sessions of its own (released at the end), so the measurement neither evicts nor waits for loaded models.
    const sessions = new SessionCache({ threads: ctx.config.threads, spinThreads: ctx.config.spinThreads });
    try {
      const scored: DocumentNll[][] = [];
      let done = 0;
      for (const model of [checkpoint, quantized]) {
        const runner = await ModelRunner.open(model, sessions, undefined, { baseSession: true });
        const list: DocumentNll[] = [];
        for (const doc of docs) {
          list.push(...(await documentNll(runner, [doc])));
          ctx.progress({ done: ++done, total: 2 * docs.length });
        }
        scored.push(list);
      }
      return { stored: scored[0] as DocumentNll[], quantized: scored[1] as DocumentNll[] };
    } finally {
      await sessions.dispose();
    }
  },
};
