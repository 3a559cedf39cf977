// The settings service (settingsContract): one user's app-level settings, loaded at start-up, changed by update()
// (validated against this machine, saved atomically, then applied, e.g. by restarting the engine) and announced.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import { PlaygroundSettings } from '../../../shared/contract/generation';
import {
  Settings,
  type SettingsLimits,
  type SettingsPatch,
  type settingsContract,
} from '../../../shared/contract/settings';
import { UserError } from '../../../shared/errors';
import { SETTINGS_FILE, readSettingsFile, writeSettingsFile } from './settings-file';

export interface SettingsServiceOptions {
  /** Per-user folder (Electron's userData); holds settings.json. */
  readonly userDataDir: string;
  readonly events: EventSink<typeof settingsContract>;
  /** Largest engine.threads accepted; this machine's logical cores by default. */
  readonly maxThreads?: number;
  /** Told about a damaged file or field (then its default is used). Defaults to console.warn. */
  readonly onWarning?: (message: string) => void;
  /** Puts saved settings into effect (the composition root restarts the engine); update() resolves after it. */
  readonly apply?: (next: Settings, previous: Settings) => Promise<void>;
}

/** Workspaces whose Playground settings are kept; saving for one more drops the least recently saved. */
export const PLAYGROUND_WORKSPACES_KEPT = 32;

export class SettingsService implements ServiceImpl<typeof settingsContract> {
  private readonly file: string;
  private readonly maxThreads: number;
  private settings: Settings;
  /** Serializes updates, so two quick changes are saved and applied in order and neither is lost. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SettingsServiceOptions) {
    this.file = path.join(options.userDataDir, SETTINGS_FILE);
    this.maxThreads = options.maxThreads ?? availableParallelism();
    const warn = options.onWarning ?? ((message: string) => console.warn(`[settings] ${message}`));
    const loaded = readSettingsFile(this.file, warn);
    if (loaded.engine.threads > this.maxThreads) {
      warn(
        `${this.file}: engine.threads: ${loaded.engine.threads} is more than this machine's ${this.maxThreads} cores; using automatic.`,
      );
      loaded.engine.threads = 0;
    }
    this.settings = loaded;
  }

  /** The settings now (for the composition root, which starts the engine with them). */
  get current(): Settings {
    return structuredClone(this.settings);
  }

  async get(): Promise<Settings> {
    return this.current;
  }

  async limits(): Promise<SettingsLimits> {
    return { maxThreads: this.maxThreads };
  }

  update(patch: SettingsPatch): Promise<Settings> {
    return this.serially(() => this.apply(patch));
  }

  /** The Playground settings saved for a workspace, or its defaults. */
  playground(workspaceId: string): PlaygroundSettings {
    const stored = this.settings.playground[workspaceId];
    if (!stored) return PlaygroundSettings.parse({});
    const { savedAt: _at, ...value } = stored;
    return structuredClone(value);
  }

  /** Saves a workspace's Playground settings (for the generation service; not a settings.update patch). */
  savePlayground(workspaceId: string, value: PlaygroundSettings, now: Date = new Date()): Promise<void> {
    return this.serially(async () => {
      const kept = Object.entries(this.settings.playground)
        .filter(([id]) => id !== workspaceId)
        .sort(([, a], [, b]) => b.savedAt.localeCompare(a.savedAt))
        .slice(0, PLAYGROUND_WORKSPACES_KEPT - 1);
      const next = Settings.parse({
        ...this.settings,
        playground: { ...Object.fromEntries(kept), [workspaceId]: { ...value, savedAt: now.toISOString() } },
      });
      await writeSettingsFile(this.file, next);
      this.settings = next;
      this.options.events.emit('onChanged', next);
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(patch: SettingsPatch): Promise<Settings> {
    const threads = patch.engine?.threads;
    if (threads !== undefined && threads > this.maxThreads) {
      throw new UserError(
        `Threads must be 0 (automatic) or 1 to ${this.maxThreads}, this machine's logical cores; got ${threads}`,
        {
          code: 'validation',
          where: 'settings.update: engine.threads',
          hint: `Choose a number from 0 to ${this.maxThreads}.`,
        },
      );
    }
    const previous = this.settings;
    const next = Settings.parse({
      ...previous,
      engine: { ...previous.engine, ...patch.engine },
      hub: { ...previous.hub, ...patch.hub },
    });
    if (JSON.stringify(next) === JSON.stringify(previous)) return this.current;
    await writeSettingsFile(this.file, next);
    this.settings = next;
    this.options.events.emit('onChanged', next);
    await this.options.apply?.(next, previous);
    return this.current;
  }
}
