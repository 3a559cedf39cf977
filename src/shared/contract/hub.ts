// Models downloaded from the Hugging Face Hub (or a server with its layout): a download job per repo and revision
// fetches the checkpoint's files into the user-data folder with progress, pause, resume and cancel, verifies every
// file's checksum, then registers the folder in the open workspace through the models service.
import { z } from 'zod';
import { defineService, method } from './define';
import { ModelName } from './models';

const count = z.number().int().nonnegative();

export const HubRepoId = z
  .string()
  .trim()
  .max(96)
  .regex(/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/, 'A Hub repo id is owner/name, e.g. HuggingFaceTB/SmolLM2-135M')
  .refine((id) => !id.includes('..'), 'A Hub repo id has no ".."');
/** A branch, tag or commit; 'main' when not given. */
export const HubRevision = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[\w./@+-]+$/, 'A revision is a branch, tag or commit (letters, digits and . / @ + - _)');
export const HubToken = z
  .string()
  .trim()
  .regex(/^hf_[A-Za-z0-9_-]{8,200}$/, 'A Hugging Face access token starts with hf_ (Hub settings, Access Tokens)');

export const DownloadState = z.enum([
  'running',
  'pausing',
  'paused',
  /** Stopped by a dropped connection after its retries, or by the app being closed: resume continues. */
  'interrupted',
  'verifying',
  'registering',
  'completed',
  'failed',
  'cancelled',
]);
export type DownloadState = z.infer<typeof DownloadState>;

export const DownloadFile = z.object({
  path: z.string(),
  size: count,
  /** Bytes on disk so far. */
  done: count,
  verified: z.boolean(),
});
export type DownloadFile = z.infer<typeof DownloadFile>;

export const DownloadJob = z.object({
  id: z.string(),
  repo: z.string(),
  revision: z.string(),
  /** The commit the revision pointed at when the download started; null until the Hub answered. */
  commit: z.string().nullable(),
  /** Where the files are written (in the user-data folder). */
  folder: z.string(),
  name: z.string(),
  state: DownloadState,
  bytesDone: count,
  bytesTotal: count,
  files: z.array(DownloadFile),
  /** How often a dropped connection was resumed from where it stopped. */
  resumes: count,
  error: z.object({ message: z.string(), code: z.string().nullable(), hint: z.string().nullable() }).nullable(),
  /** The registered model once completed. */
  modelId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DownloadJob = z.infer<typeof DownloadJob>;

export const HubStatus = z.object({
  offline: z.boolean(),
  endpoint: z.string(),
  proxy: z.string(),
  idleTimeoutSeconds: z.number(),
  /** Whether an access token is stored (it is never sent back). */
  tokenStored: z.boolean(),
  /** 'os-keychain': encrypted with a key the operating system's keychain holds; else with a key file of this user. */
  tokenStorage: z.enum(['os-keychain', 'encrypted-file']),
});
export type HubStatus = z.infer<typeof HubStatus>;

const byId = z.object({ id: z.string().min(1).max(64) }).strict();

export const hubContract = defineService(
  'hub',
  {
    status: method(z.object({}).strict(), HubStatus),
    /** Stores the access token for gated and private repos (encrypted; never shown, logged or sent elsewhere). */
    setToken: method(z.object({ token: HubToken }).strict(), HubStatus),
    clearToken: method(z.object({}).strict(), HubStatus),
    /**
     * Starts downloading a repo's checkpoint (config, tokenizer, generation config, safetensors) and answers at once;
     * onProgress and onJobChanged follow it. Once every file is verified, the folder is added as a model of the open
     * workspace. Offline, a copy already downloaded is added without touching the network; anything else is refused.
     */
    download: method(
      z.object({ repo: HubRepoId, revision: HubRevision.optional(), name: ModelName.optional() }).strict(),
      DownloadJob,
    ),
    /** Stops after the current chunk, keeping what was downloaded; resume continues from there. */
    pause: method(byId, DownloadJob),
    /** Continues a paused, interrupted or failed download from the bytes already on disk. */
    resume: method(byId, DownloadJob),
    /** Stops and deletes the downloaded files; nothing is registered. */
    cancel: method(byId, DownloadJob),
    jobs: method(z.object({}).strict(), z.array(DownloadJob)),
  },
  {
    onProgress: z.object({ jobId: z.string(), file: z.string(), bytesDone: count, bytesTotal: count }),
    onJobChanged: z.object({ jobId: z.string(), state: DownloadState }),
  },
);
