// The worker's weight settings (which format each model runs at, where caches live): started from WorkerConfig and
// changed by prepareWeights, which also builds the model's cache with progress. LoadedModels asks weightsFor() on
// every acquire, so a model whose format changed is loaded again on its next use.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import type { WeightFormat } from '../../../shared/weight-format';
import { loadCheckpoint } from '../models';
import { openWeightCache, WEIGHTS_FILE } from '../models/weight-cache';
import type { EngineMethods, WorkerConfig } from '../protocol';
import type { WeightSettings } from '../weights-protocol';
import type { HandlerTable } from './handler';

let settings: WeightSettings | undefined;

function current(config: WorkerConfig): WeightSettings {
  settings ??= { cacheFolder: config.weights?.cacheFolder ?? null, formats: { ...config.weights?.formats } };
  return settings;
}

/** The format a model runs at now and the cache folder for it (null: as stored, or no cache folder configured). */
export function weightsFor(
  config: WorkerConfig,
  contentHash: string,
): { format: Exclude<WeightFormat, 'stored'>; cacheFolder: string } | null {
  const s = current(config);
  const format = s.formats[contentHash] ?? 'stored';
  return format === 'stored' || s.cacheFolder === null ? null : { format, cacheFolder: s.cacheFolder };
}

export const weightHandlers: Pick<HandlerTable<EngineMethods>, 'prepareWeights'> = {
  prepareWeights: async ({ folder, contentHash, format, cacheFolder }, ctx) => {
    let bytes = 0;
    if (format !== 'stored') {
      // The registry's hash (of the whole files) is the model's identity; the loader checks the structure against it.
      const checkpoint = await loadCheckpoint(folder, { contentHash });
      if (checkpoint.contentHash !== contentHash) {
        throw new UserError("The model's files have changed since it was added.", {
          where: folder,
          hint: 'Open Models and add the folder again.',
          code: 'model-changed',
        });
      }
      const model = await openWeightCache(checkpoint, format, cacheFolder, { onProgress: (p) => ctx.progress(p) });
      bytes = (await stat(join(model.folder, WEIGHTS_FILE))).size;
    }
    const s = current(ctx.config);
    s.cacheFolder = cacheFolder;
    s.formats[contentHash] = format; // set once the cache exists: runs until now keep the previous format
    return { format, bytes };
  },
};
