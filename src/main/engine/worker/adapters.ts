// The worker's adapter methods: prepareTrainingData (chat-template rendering and token counts before a run, so the
// service can estimate and report over-long rows) and inspectAdapter (read a PEFT folder, active check, vLLM check).
import { join } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../../../shared/errors';
import type { SaveAdapterParams } from '../adapter-protocol';
import { loadCheckpoint, loraModules, loraParametersPerRank, ModelRunner, type Checkpoint } from '../models';
import type { EngineMethods } from '../protocol';
import { SessionCache } from '../runtime';
import { checkVllmFolder, measureAdapterEffect, readAdapterFolder } from '../train';
import { writeFolderAtomically, type FileToWrite } from '../train/atomic-folder';
import { parseJson, readOptional } from '../train/json-files';
import { tokenizePairs, type TrainingPair } from '../train/collate';
import { lineageJson, type LineageInput } from '../train/lineage';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, LINEAGE_FILE, SOFT_PROMPT_SUBFOLDER } from '../train/peft-names';
import type { HandlerTable } from './handler';

export const adapterHandlers: Pick<
  HandlerTable<EngineMethods>,
  'prepareTrainingData' | 'inspectAdapter' | 'saveAdapter'
> = {
  prepareTrainingData: async (p) => {
    const c = await loadCheckpoint(p.modelFolder);
    const pairs = p.chat ? withChat(c, p.pairs, 'training') : p.pairs;
    const validation = p.chat ? withChat(c, p.validation, 'validation') : p.validation;
    const maxLength = p.maxLength ?? c.contextLength;
    const options = { maxLength, numVirtualTokens: p.numVirtualTokens, eosTokenId: c.eosTokenIds[0] ?? null };
    const { rows, tooLong } = tokenizePairs(c.tokenizer, pairs, options);
    const tokens = rows.reduce((s, r) => s + r.ids.length, 0);
    const targetTokens = rows.reduce((s, r) => s + r.labels.filter((l) => l >= 0).length, 0);
    const maxRowTokens = Math.max(
      0,
      ...rows.map((r) => r.ids.length + p.numVirtualTokens),
      ...tooLong.map((r) => r.tokens),
    );
    const cfg = c.config;
    return {
      pairs,
      validation,
      rows: pairs.length,
      tokens,
      targetTokens,
      maxRowTokens,
      maxLength,
      tooLong,
      contentHash: c.contentHash,
      model: {
        parameters: c.sizes.parameters,
        hiddenSize: cfg.hidden_size,
        layers: cfg.num_hidden_layers,
        vocabSize: cfg.vocab_size,
        intermediateSize: cfg.intermediate_size,
        bytesOnDisk: c.sizes.bytesOnDisk,
        loraParametersPerRank: loraParametersPerRank(cfg),
      },
    };
  },

  inspectAdapter: async (p, ctx) => {
    const c = await loadCheckpoint(p.modelFolder);
    const folder = await readAdapterFolder(
      p.adapterFolder,
      c.config,
      p.baseContentHash === undefined ? {} : { baseContentHash: p.baseContentHash },
    );
    const sessions = new SessionCache({ threads: ctx.config.threads, spinThreads: ctx.config.spinThreads });
    try {
      const runner = await ModelRunner.open(
        c,
        sessions,
        folder.loraTargets.length > 0 ? folder.loraTargets : loraModules(c.config),
      );
      const check = await measureAdapterEffect(runner, folder.specialization);
      const vllm = await checkVllmFolder(folder.folder);
      const lora = folder.lora && {
        r: folder.lora.config.r,
        alpha: folder.lora.config.lora_alpha,
        targets: folder.lora.plan.targets,
        rslora: folder.lora.config.use_rslora,
      };
      const method = folder.lora && folder.softPrompt ? 'both' : folder.lora ? 'lora' : 'soft-prompt';
      return {
        method,
        lora,
        softPrompt: folder.softPrompt && { n: folder.softPrompt.config.num_virtual_tokens },
        hasLineage: folder.lineage !== null,
        check: {
          active: check.active,
          finite: check.finite,
          maxAbsDelta: Number.isFinite(check.maxAbsDelta) ? check.maxAbsDelta : -1,
          argmaxChanged: check.argmaxChanged,
          positions: check.positions,
          threshold: check.threshold,
        },
        vllm: {
          compatible: vllm.compatible,
          problems: vllm.problems.map((x) => ({ rule: x.rule, message: x.message })),
        },
      };
    } finally {
      await sessions.dispose();
    }
  },

  saveAdapter: (p) => saveAdapter(p),
};

function withChat(c: Checkpoint, pairs: readonly TrainingPair[], what: string): TrainingPair[] {
  if (c.tokenizer.chatTemplate === null) {
    throw new UserError(`This model has no chat template, so the ${what} prompts cannot be wrapped in one.`, {
      code: 'train-no-chat-template',
      where: c.folder,
      hint: 'Turn off "apply the chat template", or choose a model that has one.',
    });
  }
  return pairs.map((pair) => ({
    prompt: c.tokenizer.renderChat([{ role: 'user', content: pair.prompt }], { addGenerationPrompt: true }),
    target: pair.target,
  }));
}

/** The PEFT files of a folder (root and prompt_tuning/), read for copying; the sidecar is written anew. */
async function peftFiles(folder: string): Promise<FileToWrite[]> {
  const out: FileToWrite[] = [];
  for (const dir of ['', `${SOFT_PROMPT_SUBFOLDER}/`]) {
    for (const name of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE]) {
      const bytes = await readOptional(join(folder, dir, name));
      if (bytes !== null) out.push({ path: `${dir}${name}`, bytes });
    }
  }
  if (out.length === 0)
    throw new UserError(`${folder} holds no ${ADAPTER_CONFIG_FILE}.`, {
      code: 'adapter-config',
      where: folder,
      hint: 'Choose the folder PEFT save_pretrained wrote.',
    });
  return out;
}

async function saveAdapter(p: z.output<typeof SaveAdapterParams>): Promise<{ files: string[] }> {
  const files = await peftFiles(p.from);
  const paths = new Set(files.map((f) => f.path));
  const lora = paths.has(ADAPTER_WEIGHTS_FILE) && !(await isPromptTuning(p.from));
  const soft = paths.has(`${SOFT_PROMPT_SUBFOLDER}/${ADAPTER_CONFIG_FILE}`) || !lora;
  const method = lora && soft ? 'lora+soft_prompt' : lora ? 'lora' : 'soft_prompt';
  const lineage = lineageJson(
    p.lineage as LineageInput,
    method,
    Object.fromEntries(files.map((f) => [f.path, f.bytes])),
  );
  files.push({ path: LINEAGE_FILE, bytes: new TextEncoder().encode(`${JSON.stringify(lineage, null, 2)}\n`) });
  await writeFolderAtomically(p.to, files);
  return { files: files.map((f) => f.path) };
}

async function isPromptTuning(folder: string): Promise<boolean> {
  const path = join(folder, ADAPTER_CONFIG_FILE);
  const bytes = await readOptional(path);
  const config = (bytes === null ? {} : parseJson(bytes, path, 'adapter-config')) as { peft_type?: unknown };
  return config.peft_type === 'PROMPT_TUNING';
}
