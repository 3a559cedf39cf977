// Tests and benchmarks only: two small adapters for the demo model written as PEFT folders (a rank-4 LoRA on q_proj
// and v_proj, a soft prompt of 3 virtual tokens), deterministic, so a workspace can import them without training.
import fs from 'node:fs';
import path from 'node:path';
import { tensor } from '../engine/graph';
import { loraFeatures, parseDecoderConfig, type DecoderConfig, type LoraModule } from '../engine/models';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, encodePeftLora, encodePeftPromptTuning } from '../engine/train';

const DEMO_CONFIG = path.resolve('resources/models/dovetail-wordnet-13m/config.json');

/** Deterministic values in [-scale, scale). */
function values(count: number, seed: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => {
    const x = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return (x - Math.floor(x) - 0.5) * 2 * scale;
  });
}

function writePeft(folder: string, files: { config: Uint8Array; weights: Uint8Array }): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, ADAPTER_CONFIG_FILE), files.config);
  fs.writeFileSync(path.join(folder, ADAPTER_WEIGHTS_FILE), files.weights);
  return folder;
}

/** Writes `dir`/lora and `dir`/soft (PEFT folders for api.adapters.importPeft) and returns their paths. */
export function writeDemoAdapters(dir: string): { lora: string; soft: string } {
  const model: DecoderConfig = parseDecoderConfig(JSON.parse(fs.readFileSync(DEMO_CONFIG, 'utf8')), DEMO_CONFIG);
  const targets: LoraModule[] = ['q_proj', 'v_proj'];
  const r = 4;
  const layers = Array.from({ length: model.num_hidden_layers }, (_, i) =>
    Object.fromEntries(
      targets.map((m, j) => {
        const f = loraFeatures(model, m);
        return [
          m,
          {
            A: tensor('float32', [r, f.in], values(r * f.in, 10 * i + j, 0.1)), // [r, in]
            B: tensor('float32', [f.out, r], values(f.out * r, 100 + 10 * i + j, 0.1)), // [out, r]
          },
        ];
      }),
    ),
  );
  const lora = encodePeftLora({ r, lora_alpha: 8, target_modules: targets, layers }, { model });
  const C = model.hidden_size;
  const embeddings = tensor('float32', [3, C], values(3 * C, 7, 0.05)); // [n, C]
  const soft = encodePeftPromptTuning({ embeddings }, { model });
  return { lora: writePeft(path.join(dir, 'lora'), lora), soft: writePeft(path.join(dir, 'soft'), soft) };
}
