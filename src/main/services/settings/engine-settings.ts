// How engine settings reach the engine host: threads, provider and thread spinning become the worker's config, and a
// change restarts the worker so every session is recreated with them (sessions are never switched in place).
import type { EngineSettings, Settings } from '../../../shared/contract/settings';
import type { EngineHost, EngineSessionConfig } from '../../host/engine-host';

/** The worker config for these settings. */
export function engineConfig(settings: EngineSettings): EngineSessionConfig {
  return { threads: settings.threads, provider: settings.executionProvider, spinThreads: settings.spinThreads };
}

/** SettingsService's `apply` for the engine section: resolves when the restarted worker is ready. */
export function applyEngineSettings(host: EngineHost): (next: Settings, previous: Settings) => Promise<void> {
  return async (next, previous) => {
    const config = engineConfig(next.engine);
    const before = engineConfig(previous.engine);
    const changed = config.threads !== before.threads || config.provider !== before.provider || config.spinThreads !== before.spinThreads;
    if (changed) await host.reconfigure(config);
  };
}
