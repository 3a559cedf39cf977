// Reads a Dovetail adapter folder: a PEFT LoRA or prompt-tuning adapter at the root, a soft prompt in prompt_tuning/
// when both were trained together, and the lineage sidecar (checked against the files and the base model) if any.
import { join, resolve } from 'node:path';
import { UserError } from '../../../shared/errors';
import type { DecoderConfig, LoraModule, Specialization } from '../models';
import { checkLineageBase, readLineage, verifyLineageFiles, type Lineage } from './lineage';
import { fileExists } from './json-files';
import { ADAPTER_CONFIG_FILE, SOFT_PROMPT_SUBFOLDER } from './peft-names';
import { readPeftAdapter, type PeftLora, type PeftPromptTuning } from './peft-read';

export interface AdapterFolder {
  folder: string;
  lora: PeftLora | null;
  softPrompt: PeftPromptTuning | null;
  /** dovetail_adapter.json, or null for a plain PEFT folder. */
  lineage: Lineage | null;
  /** What ModelRunner.forward / createStep take. */
  specialization: Specialization;
  /** The projections the runner's session needs LoRA inputs for. */
  loraTargets: LoraModule[];
}

export interface ReadAdapterOptions {
  /** The base model's content hash: a lineage recorded for another model is refused. */
  baseContentHash?: string;
}

export async function readAdapterFolder(
  adapterFolder: string,
  model: DecoderConfig,
  options: ReadAdapterOptions = {},
): Promise<AdapterFolder> {
  const folder = resolve(adapterFolder);
  const root = await readPeftAdapter(folder, model);
  let softPrompt = root.kind === 'prompt_tuning' ? root : null;
  const lora = root.kind === 'lora' ? root : null;
  const sub = join(folder, SOFT_PROMPT_SUBFOLDER);
  if (lora && (await fileExists(join(sub, ADAPTER_CONFIG_FILE)))) {
    const second = await readPeftAdapter(sub, model);
    if (second.kind !== 'prompt_tuning') {
      throw new UserError(`${SOFT_PROMPT_SUBFOLDER}/${ADAPTER_CONFIG_FILE} must hold a PROMPT_TUNING adapter.`, {
        where: join(sub, ADAPTER_CONFIG_FILE),
        hint: 'Dovetail keeps the LoRA at the root and the soft prompt in prompt_tuning/.',
        code: 'adapter-config',
      });
    }
    softPrompt = second;
  }
  const lineage = await readLineage(folder);
  if (lineage) {
    await verifyLineageFiles(folder, lineage);
    if (options.baseContentHash !== undefined) checkLineageBase(lineage, folder, options.baseContentHash);
  }
  return {
    folder,
    lora,
    softPrompt,
    lineage,
    specialization: { adapter: lora?.adapter ?? null, softPrompt: softPrompt?.softPrompt ?? null },
    loraTargets: lora?.plan.targets ?? [],
  };
}
