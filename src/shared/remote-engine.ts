// A remote engine for an experiment: an OpenAI-compatible server (vLLM with --enable-lora, where each LoRA is a
// `model` name, or another Dovetail's serving endpoint) that generates a cell's outputs instead of the local engine.
// Pure schema, no Node; the API key is never stored: the spec names the environment variable that holds it.
import { z } from 'zod';

export const REMOTE_KINDS = ['vllm', 'dovetail', 'openai-compatible'] as const;

export const RemoteEngineSpec = z
  .object({
    kind: z.enum(REMOTE_KINDS),
    /** The server's OpenAI base URL, ending in /v1 (http or https). */
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL such as http://gpu-host:8000/v1' })
      .max(2048)
      .transform((u) => u.replace(/\/+$/, '')),
    /** Name of the environment variable of this app's process that holds the API key (null: none sent). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name such as VLLM_API_KEY')
      .nullable()
      .default(null),
    /** The server's model name for each cell, by specialization id (vLLM: the --lora-modules name, or the base). */
    models: z.record(z.string().min(1).max(64), z.string().trim().min(1).max(256)),
  })
  .strict();
export type RemoteEngineSpec = z.infer<typeof RemoteEngineSpec>;
export type RemoteEngineSpecIn = z.input<typeof RemoteEngineSpec>;

/** A server to ask what it serves, before any cell names a model ("Check server"). */
export const RemoteServer = RemoteEngineSpec.omit({ models: true }).strict();
export type RemoteServerIn = z.input<typeof RemoteServer>;

/** What the server said about itself when a run started: kept with the experiment as part of its lineage. */
export const RemoteIdentity = z.object({
  kind: z.enum(REMOTE_KINDS),
  baseUrl: z.string(),
  /** GET /v1/models: the ids, each with its parent (vLLM names a LoRA's base) and owner. */
  models: z.array(z.object({ id: z.string(), parent: z.string().nullable(), ownedBy: z.string().nullable() })),
  /** vLLM's GET /version, or the HTTP Server header; null when the server gives neither. */
  version: z.string().nullable(),
  checkedAt: z.string(),
});
export type RemoteIdentity = z.infer<typeof RemoteIdentity>;

/** The --lora-modules name of a release: the release and version, in characters every shell and URL take as they are. */
export function vllmModelName(releaseName: string, version: string): string {
  return `${releaseName}-${version}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'release';
}

export const REMOTE_KIND_NAMES: Record<(typeof REMOTE_KINDS)[number], string> = {
  vllm: 'vLLM',
  dovetail: 'Dovetail endpoint',
  'openai-compatible': 'OpenAI-compatible server',
};

/** "vLLM at http://gpu:8000/v1 (vLLM 0.11.0)": what generated an experiment's outputs, for its results and lineage. */
export function describeRemoteServer(r: {
  kind: (typeof REMOTE_KINDS)[number];
  baseUrl: string;
  identity?: RemoteIdentity | null;
}): string {
  const version = r.identity?.version ? ` (${r.identity.version})` : '';
  return `${REMOTE_KIND_NAMES[r.kind]} at ${r.baseUrl}${version}`;
}
