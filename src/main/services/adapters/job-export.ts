// "Export job": a training job (finished or only planned) as a folder another machine runs with transformers + PEFT
// (+ accelerate): the engine writes the rows as tokenized, the step plan and the initial weights (prepareJobExport);
// this file adds the script, accelerate configs, hyper-parameters, job facts, a README and a manifest of sha256
// digests, in a staging folder renamed into place once complete (decision 0042).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { JobExport, TrainingJob, TrainingSpec } from '../../../shared/contract/adapters';
import type { ModelRecord } from '../../../shared/contract/models';
import { UserError } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import { READ_LIMITS, readBounded } from '../../engine/models/bounded-read';
import type { Result } from '../../engine/protocol';
import { sha256Hex } from '../../engine/train/lineage';
import { defaultLr } from './estimate';
import { findResourceDir } from './training-data';
import { trainParams, type Prepared } from './training-run';

export const JOB_EXPORT_SCRIPT = 'train_peft.py';
export const JOB_FILE = 'job.json';
export const MANIFEST_FILE = 'manifest.json';
/** What the script writes beside the PEFT files of its output folder; importPeft reads it for the lineage. */
export const JOB_RUN_FILE = 'dovetail_job_run.json';

export interface JobExportRequest {
  readonly engine: EngineClient;
  readonly spec: TrainingSpec;
  /** The stored job, or null for a planned one. */
  readonly job: TrainingJob | null;
  readonly jobModel: ModelRecord;
  /** The base the export trains (the job's model, or a larger one of its family). */
  readonly base: ModelRecord;
  readonly prepared: Prepared;
  readonly to: string;
  readonly gpus: number;
  readonly appVersion: string;
  readonly now: string;
  /** resources/job-export (the script). */
  readonly resourcesDir: string;
}

/** Writes the export folder (which must not exist); nothing is left behind when it fails. */
export async function exportTrainingJob(r: JobExportRequest): Promise<JobExport> {
  if (await exists(r.to))
    throw new UserError(`${basename(r.to)} already exists; an export never overwrites a folder.`, {
      code: 'export-exists',
      where: r.to,
      hint: 'Choose another name, or delete the old folder first.',
    });
  const staging = join(dirname(r.to), `.${basename(r.to)}.tmp-${randomBytes(6).toString('hex')}`);
  const sameBase = r.base.id === r.jobModel.id;
  try {
    await mkdir(dirname(r.to), { recursive: true });
    const { checkpointFolder: _unused, ...params } = trainParams(r.spec, r.base.folder, r.prepared, staging);
    const engine = await r.engine.request('prepareJobExport', {
      ...params,
      folder: staging,
      tokenizerFolder: r.jobModel.folder,
      // A larger base's loss is not Dovetail's to compare (and its sessions may not fit here).
      referenceLoss: sameBase,
    });
    const exportId = randomBytes(8).toString('hex');
    const files: Record<string, string> = {
      [JOB_FILE]: json(jobFacts(r, engine, exportId)),
      'hyperparameters.json': json(hyperParameters(r.spec, engine)),
      'accelerate/single_gpu.yaml': accelerateConfig(1),
      'accelerate/multi_gpu.yaml': accelerateConfig(Math.max(2, r.gpus)),
      'README.md': readme(r, engine),
      [JOB_EXPORT_SCRIPT]: await readFile(join(r.resourcesDir, JOB_EXPORT_SCRIPT), 'utf8'),
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), text, { flag: 'wx' });
    }
    const digests = await hashFolder(staging);
    await writeFile(join(staging, MANIFEST_FILE), json({ format: 'dovetail-job-export', files: digests }));
    await rename(staging, r.to);
    return {
      path: r.to,
      exportId,
      files: [...Object.keys(digests), MANIFEST_FILE].sort(),
      rows: engine.rows,
      validationRows: engine.validationRows,
      totalSteps: engine.totalSteps,
      step0Loss: engine.step0Loss,
      baseModelId: r.base.id,
      command: `python ${JOB_EXPORT_SCRIPT}`,
      accelerateCommand: `accelerate launch --config_file accelerate/multi_gpu.yaml --num_processes ${Math.max(2, r.gpus)} ${JOB_EXPORT_SCRIPT}`,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** resources/job-export next to the running code (or the packaged app's resources), as the bundled datasets. */
export function findJobExportResources(): string | null {
  return findResourceDir('job-export', undefined, JOB_EXPORT_SCRIPT);
}

type EngineFacts = Result<'prepareJobExport'>;

function jobFacts(r: JobExportRequest, e: EngineFacts, exportId: string) {
  const model = (m: ModelRecord) => ({ id: m.id, name: m.name, content_hash: m.contentHash, path: m.folder });
  return {
    format: 'dovetail-job-export',
    format_version: 1,
    export_id: exportId,
    job_id: r.job?.id ?? null,
    name: r.job?.name ?? r.spec.name ?? 'planned job',
    state: r.job?.state ?? 'planned',
    created_at: r.now,
    app_version: r.appVersion,
    method: r.spec.method,
    job_model: model(r.jobModel),
    base_model: { ...model(r.base), model_type: e.model.modelType, hidden_size: e.model.hiddenSize },
    dataset: { id: r.prepared.sourceId, version: r.prepared.dataHash },
    template: { id: 'prompt-template', version: r.prepared.templateHash },
    spec: r.spec,
    tokens: {
      pad_token_id: e.padTokenId,
      eos_token_id: e.eosTokenId,
      num_virtual_tokens: e.numVirtualTokens,
      max_length: e.maxLength,
      rows: e.rows,
      validation_rows: e.validationRows,
      tokens: e.tokens,
      target_tokens: e.targetTokens,
      left_out_too_long: e.tooLong,
    },
    reference: {
      /** Dovetail's loss of step 0 at the initial weights (null for another base). */
      step0_loss: e.step0Loss,
      /** The job's own recorded losses, when it ran. */
      history: r.job?.history ?? null,
    },
  };
}

function hyperParameters(spec: TrainingSpec, e: EngineFacts) {
  const h = spec.hyper;
  return {
    learning_rate: defaultLr(spec),
    schedule: h.schedule,
    warmup_steps: h.warmupSteps,
    epochs: h.epochs,
    max_steps: h.maxSteps,
    total_steps: e.totalSteps,
    steps_per_epoch: e.stepsPerEpoch,
    batch_size: h.batchSize,
    gradient_accumulation_steps: h.gradientAccumulationSteps,
    weight_decay: h.weightDecay,
    betas: [0.9, 0.999],
    eps: 1e-8,
    max_grad_norm: h.maxGradNorm,
    max_length: e.maxLength,
    eval_every: h.evalEvery,
    seed: h.seed,
    lora:
      spec.method === 'soft-prompt'
        ? null
        : {
            r: spec.lora.r,
            lora_alpha: spec.lora.alpha,
            lora_dropout: spec.lora.dropout,
            target_modules: spec.lora.targets,
            use_rslora: spec.lora.rslora,
          },
    prompt_tuning:
      spec.method === 'lora'
        ? null
        : {
            num_virtual_tokens: spec.softPrompt.n,
            prompt_tuning_init: spec.softPrompt.init === 'text' ? 'TEXT' : 'RANDOM',
            prompt_tuning_init_text: spec.softPrompt.initText,
          },
  };
}

/** accelerate's config file for one machine: one process, or N over the GPUs (DDP). */
function accelerateConfig(processes: number): string {
  return [
    'compute_environment: LOCAL_MACHINE',
    `distributed_type: ${processes > 1 ? 'MULTI_GPU' : 'NO'}`,
    'machine_rank: 0',
    'num_machines: 1',
    `num_processes: ${processes}`,
    'gpu_ids: all',
    'mixed_precision: "no"',
    'main_training_function: main',
    'use_cpu: false',
    '',
  ].join('\n');
}

function readme(r: JobExportRequest, e: EngineFacts): string {
  const what = { lora: 'a LoRA', 'soft-prompt': 'a soft prompt', both: 'a LoRA and a soft prompt together' }[
    r.spec.method
  ];
  const multi = Math.max(2, r.gpus);
  return `# Training job "${r.job?.name ?? r.spec.name ?? 'planned job'}", exported by Dovetail ${r.appVersion}

Trains ${what} on ${r.base.name}${r.base.id === r.jobModel.id ? '' : ` (a larger base than the job's ${r.jobModel.name})`}
with transformers + PEFT, on exactly the rows, batches, learning rates and initial weights Dovetail would use.

| | |
| --- | --- |
| rows | ${e.rows} training, ${e.validationRows} validation (${e.tooLong.length} left out as longer than ${e.maxLength} tokens) |
| tokens | ${e.tokens} (${e.targetTokens} targets) |
| optimizer steps | ${e.totalSteps} |
| Dovetail's step-0 loss | ${e.step0Loss === null ? 'not computed (another base)' : e.step0Loss.toPrecision(8)} |

## Run it

Needs Python with torch, transformers, PEFT and safetensors (accelerate for several GPUs; TRL is not used). The base
model is read from \`job.json\` (\`base_model.path\`); give \`--base\` where it lives elsewhere (a folder or a hub id).

    python ${JOB_EXPORT_SCRIPT}                      # one GPU (or the CPU)
    accelerate launch --config_file accelerate/single_gpu.yaml ${JOB_EXPORT_SCRIPT}
    accelerate launch --config_file accelerate/multi_gpu.yaml --num_processes ${multi} ${JOB_EXPORT_SCRIPT}

Each step prints its loss, learning rate, gradient norm, seconds and tokens/s; the first line's loss must match
Dovetail's step-0 loss above (the summary line gives the relative difference). \`--max-steps N\` stops early,
\`--dtype bfloat16\` holds the frozen base in bf16 (the trained parameters stay float32).

The adapter is written to \`output/\`: a PEFT folder (the soft prompt in \`prompt_tuning/\` when both are trained) and
\`${JOB_RUN_FILE}\` (losses, timings, versions). Import it in Dovetail (Adapters > Import PEFT folder, or
\`adapters.importPeft\`): it is checked active and recorded with its lineage to this job.

## Files

- \`data/train.jsonl\`, \`data/validation.jsonl\`: each row's rendered prompt and target, its \`input_ids\` and \`labels\`
  (-100 on the prompt), as Dovetail tokenized them (template, demonstrations and chat template applied).
- \`data/plan.json\`: per optimizer step, the rows of each micro-batch and the learning rate.
- \`init/\`: the initial weights as a PEFT folder (LoRA A seeded, B zero; the soft prompt as initialised), with the PEFT
  configs (\`adapter_config.json\`: r, lora_alpha, lora_dropout, target_modules, use_rslora; PROMPT_TUNING and its init).
- \`hyperparameters.json\`, \`job.json\` (the job, models, data and template versions), \`accelerate/\`.
- \`manifest.json\`: the sha256 of every other file.

Across several processes each one takes every N-th micro-batch of a step and the gradients are summed, so the step
is the same mean over all its target tokens; only LoRA dropout draws differ from Dovetail's.
`;
}

async function hashFolder(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(root, path).split(sep).join('/')] = sha256Hex(await readFile(path));
    }
  };
  await walk(root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const ref = z.object({ id: z.string().min(1), version: z.union([z.string().min(1), z.number().int()]) });

/** dovetail_job_run.json as the exported script writes it (the fields importPeft reads). */
export const JobRun = z.object({
  format: z.literal('dovetail-job-run'),
  format_version: z.literal(1),
  job: z.object({
    export_id: z.string().min(1),
    job_id: z.string().nullable(),
    name: z.string(),
    base_model: z.object({ content_hash: z.string(), name: z.string() }),
    dataset: ref,
    template: ref,
  }),
  export_manifest_sha256: z.string(),
  losses: z.array(z.object({ step: z.number().int(), loss: z.number() })),
  validation_losses: z.array(z.object({ step: z.number().int(), loss: z.number() })),
  summary: z.looseObject({
    step0_loss: z.number().nullable(),
    dovetail_step0_loss: z.number().nullable(),
    processes: z.number().int(),
    device: z.string(),
  }),
});
export type JobRun = z.infer<typeof JobRun>;

/** The folder's dovetail_job_run.json, or null when it has none (a plain PEFT folder). */
export async function readJobRun(folder: string): Promise<JobRun | null> {
  const path = join(folder, JOB_RUN_FILE);
  const bytes = await readBounded(path, READ_LIMITS.json, 'job-run');
  if (bytes === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    value = null;
  }
  const parsed = JobRun.safeParse(value);
  if (!parsed.success)
    throw new UserError(`${JOB_RUN_FILE} is not the run record an exported job writes.`, {
      code: 'job-run-invalid',
      where: path,
      hint: `Delete ${JOB_RUN_FILE} to import the folder as a plain PEFT adapter.`,
    });
  return parsed.data;
}

/** What an exported job's run adds to an imported adapter's hyper-parameters. */
export function jobRunFacts(run: JobRun): Record<string, string | number | null> {
  return {
    trained_with: 'exported job (transformers + PEFT)',
    job_export_id: run.job.export_id,
    exported_job_id: run.job.job_id,
    exported_job_name: run.job.name,
    export_manifest_sha256: run.export_manifest_sha256,
    steps: run.losses.length,
    step0_loss: run.summary.step0_loss,
    dovetail_step0_loss: run.summary.dovetail_step0_loss,
    processes: run.summary.processes,
    device: run.summary.device,
  };
}

export function finalLosses(run: JobRun): { step: number; train: number | null; validation: number | null } {
  return {
    step: run.losses.at(-1)?.step ?? 0,
    train: run.losses.at(-1)?.loss ?? null,
    validation: run.validation_losses.at(-1)?.loss ?? null,
  };
}
