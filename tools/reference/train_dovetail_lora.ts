// Writes the Dovetail-trained LoRA fixture: trains it with the app's trainer
// (src/main/engine/train/testing/dovetail-lora.ts) and writes the PEFT folder with writeAdapterFolder into
// src/main/engine/train/__fixtures__/dovetail-lora/adapter/, replacing it. Then tools/reference/check_dovetail_lora.py
// --write (torch, transformers, PEFT) adds PyTorch's logits.
//   node bench/run.mjs tools/reference/train_dovetail_lora.ts
import { rm } from 'node:fs/promises';
import {
  DOVETAIL_LORA_ADAPTER,
  DOVETAIL_LORA_HYPER,
  trainDovetailLora,
} from '../../src/main/engine/train/testing/dovetail-lora';
import { writeAdapterFolder } from '../../src/main/engine/train/peft-write';

const { checkpoint, lora, losses } = await trainDovetailLora();
await rm(DOVETAIL_LORA_ADAPTER, { recursive: true, force: true });
await writeAdapterFolder(
  DOVETAIL_LORA_ADAPTER,
  {
    lora,
    lineage: {
      source: 'trained',
      base_model: { content_hash: checkpoint.contentHash, name: 'reference/llama' },
      dataset: null,
      template: null,
      hyper_parameters: { ...DOVETAIL_LORA_HYPER, learning_rate: 3e-2, steps: losses.length, seed: 11 },
      final_losses: { step: losses.length, train: losses.at(-1) ?? null, validation: null },
      created_at: '2026-11-29T00:00:00.000Z',
      app_version: 'fixture',
    },
  },
  { model: checkpoint.config, baseModelNameOrPath: null },
);
console.log(`wrote ${DOVETAIL_LORA_ADAPTER}: losses ${losses.map((l) => l.toFixed(4)).join(' ')}`);
