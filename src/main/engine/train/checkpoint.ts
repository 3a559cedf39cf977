// Training checkpoints: params, AdamW state, step and the rest of the loop state, each written atomically as a folder
// "step-<n>" (train/atomic-folder.ts) under the run's folder; "latest.json" (write-then-rename) names the newest.
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import { readSafetensorsHeader, readTensorF32 } from '../models';
import type { AdamWState } from './adamw';
import { writeFolderAtomically } from './atomic-folder';
import type { Param } from './params';
import { encodeSafetensors } from './safetensors-write';

const LATEST = 'latest.json';
const STATE = 'state.json';
const TENSORS = 'tensors.safetensors';
/** Checkpoints kept on disk (the newest ones). */
const KEEP = 2;

/** The loop state a resumed run continues from (what is not in the tensors). */
export interface LoopState {
  /** Optimizer steps done. */
  step: number;
  /** Identifies the run's settings; a checkpoint of other settings is refused. */
  fingerprint: string;
  /** The data order needs no saved generator: epoch e's order is a function of (seed, e) (rng.ts). */
  rng: { seed: number; epoch: number };
  losses: { step: number; loss: number; lr: number }[];
  valLosses: { step: number; loss: number }[];
  bestValLoss: number | null;
  evalsWithoutImprovement: number;
}

export interface TrainingCheckpoint {
  loop: LoopState;
  params: Param[];
  adam: AdamWState;
}

const stepFolder = (step: number): string => `step-${String(step).padStart(8, '0')}`;

export async function saveCheckpoint(folder: string, c: TrainingCheckpoint): Promise<void> {
  const tensors = c.params.flatMap((p) => [
    { name: `param.${p.name}`, shape: p.dims, data: p.data },
    { name: `exp_avg.${p.name}`, shape: p.dims, data: c.adam.expAvg.get(p.name) as Float32Array },
    { name: `exp_avg_sq.${p.name}`, shape: p.dims, data: c.adam.expAvgSq.get(p.name) as Float32Array },
  ]);
  const state = { ...c.loop, adamStep: c.adam.step, params: c.params.map((p) => ({ name: p.name, dims: p.dims })) };
  const name = stepFolder(c.loop.step);
  await rm(join(folder, name), { recursive: true, force: true }); // a re-run of the same step replaces it
  await writeFolderAtomically(join(folder, name), [
    { path: TENSORS, bytes: encodeSafetensors(tensors, 'F32') },
    { path: STATE, bytes: new TextEncoder().encode(JSON.stringify(state)) },
  ]);
  const temp = join(folder, `.${LATEST}.tmp`);
  await writeFile(temp, JSON.stringify({ checkpoint: name }));
  await rename(temp, join(folder, LATEST));
  const old = (await readdir(folder))
    .filter((f) => /^step-\d+$/.test(f))
    .sort()
    .slice(0, -KEEP);
  for (const f of old) await rm(join(folder, f), { recursive: true, force: true });
}

/** The newest checkpoint in folder, or null when there is none. */
export async function loadLatestCheckpoint(folder: string): Promise<TrainingCheckpoint | null> {
  let latest: string;
  try {
    latest = (JSON.parse(await readFile(join(folder, LATEST), 'utf8')) as { checkpoint: string }).checkpoint;
  } catch {
    return null;
  }
  const dir = join(folder, latest);
  try {
    const state = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as LoopState & {
      adamStep: number;
      params: { name: string; dims: number[] }[];
    };
    const file = await readSafetensorsHeader(join(dir, TENSORS));
    const read = async (key: string): Promise<Float32Array> => {
      const info = file.tensors.find((t) => t.name === key);
      if (!info) throw new Error(`tensor ${key} is missing`);
      return readTensorF32(info);
    };
    const params: Param[] = [];
    const adam: AdamWState = { step: state.adamStep, expAvg: new Map(), expAvgSq: new Map() };
    for (const p of state.params) {
      params.push({ name: p.name, dims: p.dims, data: await read(`param.${p.name}`) });
      adam.expAvg.set(p.name, await read(`exp_avg.${p.name}`));
      adam.expAvgSq.set(p.name, await read(`exp_avg_sq.${p.name}`));
    }
    const { adamStep: _adamStep, params: _params, ...loop } = state;
    return { loop, params, adam };
  } catch (error) {
    throw new UserError(
      `The training checkpoint ${dir} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {
        where: dir,
        code: 'train-checkpoint',
        hint: 'Delete the checkpoint folder to start the run again from the beginning.',
      },
    );
  }
}
