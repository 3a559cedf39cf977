// How engine settings reach the engine host: threads and provider become the worker's config, and a change restarts
// the worker so every session is recreated with them (sessions are never switched in place).
import type { EngineSettings, ExecutionProvider, Settings } from '../../../shared/contract/settings';
import type { EngineHost } from '../../host/engine-host';

/** The worker config for these settings. */
export function engineConfig(settings: EngineSettings): { threads: number; provider: ExecutionProvider } {
  return { threads: settings.threads, provider: settings.executionProvider };
}

/** SettingsService's `apply` for the engine section: resolves when the restarted worker is ready. */
export function applyEngineSettings(host: EngineHost): (next: Settings, previous: Settings) => Promise<void> {
  return async (next, previous) => {
    const changed = next.engine.threads !== previous.engine.threads || next.engine.executionProvider !== previous.engine.executionProvider;
    if (changed) await host.reconfigure(engineConfig(next.engine));
  };
}
