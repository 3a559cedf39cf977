// App-level settings of one user, kept in the user-data folder: engine execution provider, threads and thread
// spinning, and the Playground's picks per workspace. Every field has a default, so a missing or damaged file still
// yields usable settings.
import { z } from 'zod';
import { defineService, method } from './define';
import { WeightFormat } from '../weight-format';
import { PlaygroundSettings } from './generation';

/** ONNX Runtime execution providers Dovetail can ask for (names as onnxruntime-node's backends spell them). */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export const ExecutionProvider = z.enum(EXECUTION_PROVIDERS);
export type ExecutionProvider = z.infer<typeof ExecutionProvider>;

export const PROVIDER_LABELS: Readonly<Record<ExecutionProvider, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
  webgpu: 'WebGPU',
};

/** A provider's display name; names outside the enum (from an older or newer worker) are shown as they are. */
export function providerLabel(name: string): string {
  return (PROVIDER_LABELS as Record<string, string | undefined>)[name] ?? name;
}

/** Upper bound the schema accepts; the service checks the real one (this machine's logical cores). */
const THREADS_SCHEMA_MAX = 1024;
const threads = z.number().int().min(0).max(THREADS_SCHEMA_MAX);

const engineFields = {
  /** Sessions are created on this provider; when it cannot run here, on CPU with the reason reported. */
  executionProvider: ExecutionProvider,
  /** ORT intra-op threads per session: 0 = automatic (one per physical core), else 1..logical cores. */
  threads,
  /**
   * Inference sessions keep their idle intra-op threads spinning between runs (ORT `intra_op.allow_spinning`): decode
   * steps start on hot threads, which is markedly faster on an idle machine, but the spinning competes with other busy
   * programs for the cores and then makes decode slower. Training sessions never spin.
   */
  spinThreads: z.boolean(),
  /**
   * The weight precision per model, by content hash (models.setWeightFormat sets it once the quantized copy exists);
   * models not named run as stored.
   */
  weightFormats: z.record(z.string().min(1), WeightFormat),
};

export const DEFAULT_ENGINE_SETTINGS = {
  executionProvider: 'cpu',
  threads: 0,
  spinThreads: false,
  weightFormats: {},
} as const satisfies {
  executionProvider: ExecutionProvider;
  threads: number;
  spinThreads: boolean;
  weightFormats: Record<string, WeightFormat>;
};

export const EngineSettings = z.object({
  executionProvider: engineFields.executionProvider.default(DEFAULT_ENGINE_SETTINGS.executionProvider),
  threads: engineFields.threads.default(DEFAULT_ENGINE_SETTINGS.threads),
  spinThreads: engineFields.spinThreads.default(DEFAULT_ENGINE_SETTINGS.spinThreads),
  weightFormats: engineFields.weightFormats.default({}),
});
export type EngineSettings = z.infer<typeof EngineSettings>;

/** Where models are downloaded from (hub service): the Hub's address, offline mode and a proxy. */
const hubFields = {
  /** The Hub's base URL (a mirror or an enterprise Hub may serve the same layout). */
  endpoint: z.url({ protocol: /^https?$/, error: 'The Hub address must be an http(s) URL' }).max(2048),
  /** Never touch the network for models: downloads are refused, copies already downloaded still register. */
  offline: z.boolean(),
  /** An http(s) proxy every Hub request goes through ('' = none). */
  proxy: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'The proxy must be an http(s) URL' }).max(2048)]),
  /**
   * Seconds a download may go without receiving a byte before its connection is dropped and retried from the bytes
   * on disk (a server that stalls would otherwise hold the download until Pause or Cancel).
   */
  idleTimeoutSeconds: z
    .number({ error: 'The idle timeout must be a number of seconds' })
    .positive({ error: 'The idle timeout must be more than 0 seconds' })
    .max(3600, { error: 'The idle timeout must be at most 3,600 seconds (an hour)' }),
};

export const DEFAULT_HUB_SETTINGS = {
  endpoint: 'https://huggingface.co',
  offline: false,
  proxy: '',
  idleTimeoutSeconds: 60,
} as const;

export const HubSettings = z.object({
  endpoint: hubFields.endpoint.default(DEFAULT_HUB_SETTINGS.endpoint),
  offline: hubFields.offline.default(DEFAULT_HUB_SETTINGS.offline),
  proxy: hubFields.proxy.default(DEFAULT_HUB_SETTINGS.proxy),
  idleTimeoutSeconds: hubFields.idleTimeoutSeconds.default(DEFAULT_HUB_SETTINGS.idleTimeoutSeconds),
});
export type HubSettings = z.infer<typeof HubSettings>;

/** The Playground's settings of one workspace, with when they were saved (the oldest are dropped past a limit). */
export const StoredPlaygroundSettings = PlaygroundSettings.extend({ savedAt: z.string() });

/** Every setting; later sections (appearance, review, ...) are added beside `engine`, each with its defaults. */
export const Settings = z.object({
  engine: EngineSettings.default({ ...DEFAULT_ENGINE_SETTINGS }),
  hub: HubSettings.default({ ...DEFAULT_HUB_SETTINGS }),
  /** By workspace id; written through generation.savePlaygroundSettings, not update(). */
  playground: z.record(z.string().min(1), StoredPlaygroundSettings).default({}),
});
export type Settings = z.infer<typeof Settings>;

/** What update() takes: any subset of fields; unknown fields are rejected so a typo is not silently ignored. */
export const SettingsPatch = z
  .object({
    engine: z.object(engineFields).partial().strict().optional(),
    hub: z.object(hubFields).partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const SettingsLimits = z.object({
  /** Largest `engine.threads` accepted: this machine's logical cores (os.availableParallelism()). */
  maxThreads: z.number().int().min(1),
});
export type SettingsLimits = z.infer<typeof SettingsLimits>;

export const settingsContract = defineService(
  'settings',
  {
    get: method(z.object({}).strict(), Settings),
    /** Validates, saves, then applies the change (engine settings restart the engine); resolves with the settings. */
    update: method(SettingsPatch, Settings),
    limits: method(z.object({}).strict(), SettingsLimits),
  },
  {
    onChanged: Settings,
  },
);
