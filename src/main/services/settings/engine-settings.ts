// How engine settings reach the engine host: threads, provider and thread spinning become the worker's config, and a
// change restarts the worker so every session is recreated with them (sessions are never switched in place).
import type { EngineSettings, Settings } from '../../../shared/contract/settings';
import type { WeightSettings } from '../../engine/weights-protocol';
import type { EngineControl, EngineSessionConfig } from '../../engine/client';

/** The worker config for these settings. */
export function engineConfig(settings: EngineSettings): EngineSessionConfig {
  return { threads: settings.threads, provider: settings.executionProvider, spinThreads: settings.spinThreads };
}

/** The weight settings a worker starts with: each model's format, and the folder of quantized copies. */
export function weightSettings(settings: EngineSettings, cacheFolder: string): WeightSettings {
  return { cacheFolder, formats: { ...settings.weightFormats } };
}

/**
 * SettingsService's `apply` for the engine section: resolves when the restarted worker is ready. Weight formats need
 * no restart (models.setWeightFormat has told the running worker); the host keeps them for the next worker.
 */
export function applyEngineSettings(
  host: EngineControl,
  weightCacheFolder: string,
): (next: Settings, previous: Settings) => Promise<void> {
  return async (next, previous) => {
    host.setWeights(weightSettings(next.engine, weightCacheFolder));
    const config = engineConfig(next.engine);
    const before = engineConfig(previous.engine);
    const changed =
      config.threads !== before.threads ||
      config.provider !== before.provider ||
      config.spinThreads !== before.spinThreads;
    if (changed) await host.reconfigure(config);
  };
}
