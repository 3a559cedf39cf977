// The messages between the engine host (main process) and the engine worker, as zod schemas: requests, responses,
// progress and cancel, plus hello/fatal. Engine methods are one typed table; later issues add entries to it.
import { z } from 'zod';
import { ModelConfigFacts, ModelDtype, TokenizerFacts } from '../../shared/contract/models';
import { ErrorShape, UserError } from '../../shared/errors';
import { describeIssues } from '../../shared/zod-issues';
import { generationMethods } from './generation-protocol';
import { ExecutionProvider } from '../../shared/contract/settings';
import { ProviderOutcomeMessage, providerMethods } from './provider-protocol';
import { trainingMethods } from './training-protocol';
import { adapterMethods } from './adapter-protocol';
import { jobExportMethods } from './job-export-protocol';
import { WeightSettings, weightMethods, weightQualityMethods } from './weights-protocol';

/** Bumped when a message changes shape; host and worker come from one build, so a mismatch is a packaging bug. */
export const PROTOCOL_VERSION = 1;

export interface EngineMethod<
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  G extends z.ZodType = z.ZodType,
> {
  readonly params: P;
  readonly result: R;
  /** Payload of progress events; z.never() for methods that send none. */
  readonly progress: G;
}

function engineMethod<P extends z.ZodType, R extends z.ZodType, G extends z.ZodType = z.ZodNever>(spec: {
  params: P;
  result: R;
  progress?: G;
}): EngineMethod<P, R, G> {
  return { params: spec.params, result: spec.result, progress: (spec.progress ?? z.never()) as G };
}

const size = z.number().int().min(1).max(1024);
const count = z.number().int().nonnegative();

/** What inspectModel learns from a checkpoint folder (headers and JSON only), plus the files it consists of. */
export const ModelInspection = z.object({
  folder: z.string(),
  /** Config, tokenizer and safetensors headers only: equal for fine-tunes of one base; the registry hashes weights. */
  headerHash: z.string(),
  parameters: count,
  bytesOnDisk: count,
  dtype: ModelDtype,
  contextLength: count,
  config: ModelConfigFacts,
  tokenizer: TokenizerFacts,
  /** The folder's files the model reads (names relative to the folder), for cheap change checks later. */
  files: z.array(z.object({ name: z.string(), size: count })),
});
export type ModelInspection = z.infer<typeof ModelInspection>;

export const engineMethods = {
  /** Liveness: answered between steps even while a long job runs. */
  ping: engineMethod({
    params: z.object({}).strict(),
    result: z.object({
      pong: z.literal(true),
      uptimeMs: z.number(),
      /** The worker process's resident memory (the serving figures show it). */
      rssBytes: count.optional(),
    }),
  }),
  /** A small MLP built in code, run by ORT and checked against the same arithmetic in JS. */
  selfTest: engineMethod({
    params: z.object({ size: size.default(64), layers: z.number().int().min(1).max(16).default(4) }).strict(),
    result: z.object({
      ok: z.boolean(),
      milliseconds: z.number(),
      provider: z.string(),
      maxAbsError: z.number(),
      detail: z.string(),
    }),
  }),
  /** Runs an MLP graph `runs` times with a progress event per run; cancellable between runs. For tests/diagnostics. */
  burn: engineMethod({
    params: z
      .object({
        size: size.default(256),
        layers: z.number().int().min(1).max(16).default(4),
        runs: z.number().int().min(1).max(100_000),
      })
      .strict(),
    result: z.object({ runs: z.number().int(), milliseconds: z.number() }),
    progress: z.object({ run: z.number().int(), runs: z.number().int() }),
  }),
  /**
   * Loads a checkpoint folder's config, tokenizer and safetensors headers (never the weights) and reports its facts.
   */
  inspectModel: engineMethod({
    params: z.object({ folder: z.string().min(1) }).strict(),
    result: ModelInspection,
  }),
  /** loadModel, unloadModel, generate (generation-protocol.ts). */
  ...generationMethods,
  /** train (training-protocol.ts). */
  ...trainingMethods,
  /** prepareTrainingData, inspectAdapter (adapter-protocol.ts). */
  ...adapterMethods,
  /** prepareJobExport (job-export-protocol.ts). */
  ...jobExportMethods,
  /** probeProviders, executionInfo (provider-protocol.ts). */
  ...providerMethods,
  /** prepareWeights (weights-protocol.ts). */
  ...weightMethods,
  ...weightQualityMethods,
} satisfies Record<string, EngineMethod>;

/**
 * Methods that exist only when the host starts the worker with testHooks (never from the app's composition root),
 * so no public API can reach them.
 */
export const engineTestMethods = {
  crash: engineMethod({
    params: z.object({ how: z.enum(['throw', 'exit', 'spin']) }).strict(),
    result: z.never(),
  }),
} satisfies Record<string, EngineMethod>;

export type EngineMethods = typeof engineMethods;
export type EngineMethodName = keyof EngineMethods;
export type ParamsIn<M extends EngineMethodName> = z.input<EngineMethods[M]['params']>;
export type Params<M extends EngineMethodName> = z.output<EngineMethods[M]['params']>;
export type Result<M extends EngineMethodName> = z.output<EngineMethods[M]['result']>;
export type Progress<M extends EngineMethodName> = z.output<EngineMethods[M]['progress']>;

/** Given to the worker at spawn (as one argv entry), identical for worker_threads and utilityProcess. */
export const WorkerConfig = z.object({
  /** ORT intra-op threads per session; 0 = ORT's default (physical cores). */
  threads: z.number().int().min(0).max(256),
  /** Inference sessions keep idle intra-op threads spinning between runs (training sessions never do). */
  spinThreads: z.boolean(),
  /** Execution provider sessions are created on (CPU when it cannot start here); absent = CPU. */
  provider: ExecutionProvider.optional(),
  /** Reduced-precision weights: the cache folder and each model's format by content hash (absent = as stored). */
  weights: WeightSettings.optional(),
  testHooks: z.boolean(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;
export const WORKER_CONFIG_FLAG = '--dovetail-engine-config=';

const id = z.number().int().nonnegative();

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id, method: z.string(), params: z.unknown() }),
  /** Takes effect at the handler's next step boundary: an ORT run in progress cannot be interrupted. */
  z.object({ type: z.literal('cancel'), id }),
  /** Cancel everything, release sessions, exit. */
  z.object({ type: z.literal('shutdown') }),
  /**
   * Exit at once (at the next event-loop turn, so after the ORT run in progress): how a worker thread is killed,
   * because Worker.terminate() during an ORT run aborts the whole process (verified with onnxruntime-node 1.30).
   */
  z.object({ type: z.literal('exit') }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const WorkerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    ortVersion: z.string(),
    /** Provider sessions use now. */
    provider: z.string(),
    /** Every provider this onnxruntime-node build knows, bundled or not. */
    providers: z.array(z.object({ name: z.string(), bundled: z.boolean() })),
    pid: z.number().int(),
    /** The requested provider and why sessions use another (absent from workers that predate provider choice). */
    requestedProvider: ExecutionProvider.optional(),
    fallbackReason: z.string().nullable().optional(),
  }),
  /** Sessions moved to another provider than hello said (a session could not be created on the requested one). */
  ProviderOutcomeMessage.extend({ type: z.literal('provider') }),
  z.discriminatedUnion('ok', [
    z.object({ type: z.literal('response'), id, ok: z.literal(true), result: z.unknown() }),
    z.object({ type: z.literal('response'), id, ok: z.literal(false), error: ErrorShape }),
  ]),
  z.object({ type: z.literal('progress'), id, data: z.unknown() }),
  /** The worker cannot go on (e.g. onnxruntime failed to load); it exits right after. */
  z.object({ type: z.literal('fatal'), error: ErrorShape }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

/** The error both sides give for parameters outside a method's schema, naming the field. */
export function invalidParams(method: string, error: z.ZodError): UserError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? `: ${issue.path.join('.')}` : '';
  return new UserError(`Invalid parameters for engine.${method}: ${describeIssues(error, 3)}`, {
    code: 'validation',
    where: `engine.${method}${field}`,
  });
}

export { describeIssues };
