// The worker's `train` method: loads the checkpoint, tokenizes the pairs (over-long rows refused or reported), inits
// or resumes the parameters, runs the trainer (train/trainer.ts) with progress and cancel, writes the PEFT adapter.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import { loadCheckpoint, loraScaling, type Checkpoint } from '../models';
import type { EngineMethods, Params } from '../protocol';
import { trainedLora, trainedSoftPrompt } from '../train/adapter-tensors';
import { writeFolderAtomically, type FileToWrite } from '../train/atomic-folder';
import { tokenizePairs, type TrainingPair } from '../train/collate';
import { initLora, initSoftPrompt } from '../train/init';
import { encodePeftLora, encodePeftPromptTuning } from '../train/peft-write';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, SOFT_PROMPT_SUBFOLDER } from '../train/peft-names';
import { SessionBackend } from '../train/session-backend';
import type { Param } from '../train/params';
import { train } from '../train/trainer';
import type { HandlerTable } from './handler';

type TrainParams = Params<'train'>;

export const trainingHandlers: Pick<HandlerTable<EngineMethods>, 'train'> = {
  train: async (p, ctx) => {
    if (!p.lora && !p.softPrompt)
      throw new UserError('Nothing to train: give a LoRA, a soft prompt, or both', {
        code: 'train-nothing',
        where: 'engine.train',
      });
    const checkpoint = await loadCheckpoint(p.modelFolder);
    const n = p.softPrompt?.num_virtual_tokens ?? 0;
    const encode = {
      maxLength: p.hyper.maxLength ?? checkpoint.contextLength,
      numVirtualTokens: n,
      eosTokenId: checkpoint.eosTokenIds[0] ?? null,
    };
    const pairs = 'pairs' in p.data ? p.data.pairs : await readPairs(p.data.path);
    const { rows, tooLong } = tokenizePairs(checkpoint.tokenizer, pairs, encode);
    if (tooLong.length > 0 && !p.hyper.dropTooLong) {
      const list = tooLong
        .slice(0, 10)
        .map((r) => `row ${r.row + 1} (${r.tokens} tokens)`)
        .join(', ');
      throw new UserError(
        `${tooLong.length} training rows are longer than ${encode.maxLength} tokens: ${list}${tooLong.length > 10 ? ', ...' : ''}`,
        {
          code: 'train-too-long',
          where: 'engine.train: data',
          hint: 'Shorten those rows, raise the maximum length, or choose to leave long rows out.',
        },
      );
    }
    if (rows.length === 0)
      throw new UserError('No training rows are left', { code: 'train-no-rows', where: 'engine.train: data' });
    const validation = p.validation ? tokenizePairs(checkpoint.tokenizer, p.validation.pairs, encode).rows : [];
    const params = await initialParams(checkpoint, p);
    // runKey uses the header hash, stable across a copy or touch of the folder: the service has checked the model's
    // files (whole-file digests) before it starts or resumes the job.
    const backend = await trainingBackend(checkpoint, p, ctx.config.threads);
    try {
      const h = p.hyper;
      const result = await train(
        backend,
        params,
        rows,
        validation,
        {
          seed: p.seed,
          epochs: h.epochs,
          maxSteps: h.maxSteps,
          batchSize: h.batchSize,
          gradientAccumulationSteps: h.gradientAccumulationSteps,
          lr: h.lr,
          schedule: h.schedule,
          warmupSteps: h.warmupSteps,
          adamw: { betas: h.betas, eps: h.eps, weightDecay: h.weightDecay },
          maxGradNorm: h.maxGradNorm,
          evalEvery: h.evalEvery,
          patience: h.patience,
          checkpointEvery: h.checkpointEvery,
          checkpointFolder: join(p.checkpointFolder, 'checkpoints'),
          numVirtualTokens: n,
          padId: padId(checkpoint),
          runKey: JSON.stringify({ model: checkpoint.headerHash, lora: p.lora, softPrompt: p.softPrompt }),
        },
        { progress: (x) => ctx.progress(x), checkpoint: () => ctx.checkpoint() },
      );
      const adapterFolder = join(p.checkpointFolder, `adapter-step-${result.steps}`);
      await writeAdapter(adapterFolder, checkpoint, p, result.params);
      const { params: _final, ...rest } = result;
      return { ...rest, tooLong, adapterFolder };
    } finally {
      await backend.dispose();
    }
  },
};

/** Dovetail's seeded initial parameters of a run: the soft prompt first, then LoRA A (random) and B (zero). */
export async function initialParams(
  c: Checkpoint,
  p: Pick<TrainParams, 'lora' | 'softPrompt' | 'seed'>,
): Promise<Param[]> {
  return [
    ...(p.softPrompt ? [await initSoftPrompt(c, softInit(c, p.softPrompt), p.seed)] : []),
    ...(p.lora ? initLora(c, { r: p.lora.r, targets: p.lora.target_modules }, p.seed) : []),
  ];
}

/** The ORT sessions that compute a run's loss and gradients. */
export function trainingBackend(
  c: Checkpoint,
  p: Pick<TrainParams, 'lora' | 'softPrompt' | 'seed'>,
  threads: number,
): Promise<SessionBackend> {
  const spec = {
    loraTargets: p.lora?.target_modules ?? [],
    softPrompt: (p.softPrompt?.num_virtual_tokens ?? 0) > 0,
    loraDropout: p.lora?.lora_dropout ?? 0,
  };
  const scaling = p.lora ? loraScaling(p.lora.r, p.lora.lora_alpha, p.lora.use_rslora) : 0;
  return SessionBackend.create(c, { spec, loraScaling: scaling, threads, folder: c.folder, seed: p.seed });
}

export function softInit(
  c: Checkpoint,
  s: NonNullable<TrainParams['softPrompt']>,
): Parameters<typeof initSoftPrompt>[1] {
  if (s.prompt_tuning_init === 'RANDOM')
    return { kind: 'RANDOM', numVirtualTokens: s.num_virtual_tokens, std: s.init_std };
  return {
    kind: 'TEXT',
    numVirtualTokens: s.num_virtual_tokens,
    tokenIds: c.tokenizer.encode(s.prompt_tuning_init_text ?? '', { addSpecialTokens: false }),
  };
}

/** pad_token_id, else the first EOS (the padded positions are masked and carry no loss), else 0. */
export function padId(c: Checkpoint): number {
  return c.generation_config?.pad_token_id ?? c.eosTokenIds[0] ?? 0;
}

async function readPairs(path: string): Promise<TrainingPair[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new UserError(`Cannot read the training data ${path}`, { code: 'train-data', where: path, cause: error });
  });
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = null;
    }
    const ok =
      row !== null &&
      typeof row === 'object' &&
      typeof (row as TrainingPair).prompt === 'string' &&
      typeof (row as TrainingPair).target === 'string';
    if (!ok)
      throw new UserError(`Line ${i + 1} of ${path} is not a JSON object with string "prompt" and "target"`, {
        code: 'train-data',
        where: `${path}:${i + 1}`,
      });
    return [{ prompt: (row as TrainingPair).prompt, target: (row as TrainingPair).target }];
  });
}

/** The PEFT folder: LoRA (or a soft prompt alone) at the root; with both, the soft prompt in prompt_tuning/. */
async function writeAdapter(
  folder: string,
  c: Checkpoint,
  p: TrainParams,
  params: Parameters<typeof trainedLora>[0],
): Promise<void> {
  await writeFolderAtomically(folder, adapterFiles(c, p, params));
}

/** The PEFT files of trained (or initial) parameters, laid out as writeAdapter writes them. */
export function adapterFiles(
  c: Checkpoint,
  p: Pick<TrainParams, 'lora' | 'softPrompt'>,
  params: Parameters<typeof trainedLora>[0],
): FileToWrite[] {
  const files: FileToWrite[] = [];
  const options = { model: c.config, baseModelNameOrPath: null };
  if (p.lora) {
    const lora = trainedLora(params, c.config.num_hidden_layers, {
      r: p.lora.r,
      lora_alpha: p.lora.lora_alpha,
      use_rslora: p.lora.use_rslora,
      lora_dropout: p.lora.lora_dropout,
      target_modules: p.lora.target_modules,
    });
    const out = encodePeftLora(lora, options);
    files.push({ path: ADAPTER_CONFIG_FILE, bytes: out.config }, { path: ADAPTER_WEIGHTS_FILE, bytes: out.weights });
  }
  const soft =
    p.softPrompt &&
    trainedSoftPrompt(params, {
      prompt_tuning_init: p.softPrompt.prompt_tuning_init,
      prompt_tuning_init_text: p.softPrompt.prompt_tuning_init_text,
    });
  if (soft) {
    const out = encodePeftPromptTuning(soft, options);
    const dir = p.lora ? `${SOFT_PROMPT_SUBFOLDER}/` : '';
    files.push(
      { path: `${dir}${ADAPTER_CONFIG_FILE}`, bytes: out.config },
      { path: `${dir}${ADAPTER_WEIGHTS_FILE}`, bytes: out.weights },
    );
  }
  return files;
}
