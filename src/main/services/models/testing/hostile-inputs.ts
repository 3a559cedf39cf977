// Tests only: a corpus of hostile model and adapter folders, each built from a tiny fixture by one damaging edit, with
// the UserError it must give (message, and the file it must name). Used by the service test and the e2e spec.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor } from '../../../engine/graph';
import { loraFeatures, parseDecoderConfig, readSafetensorsHeader } from '../../../engine/models';
import { encodePeftLora } from '../../../engine/train';

export const MODEL_FIXTURES = fileURLToPath(new URL('../../../engine/models/__fixtures__/', import.meta.url));
/** The base model every hostile adapter is imported for. */
export const ADAPTER_BASE = path.join(MODEL_FIXTURES, 'tiny-llama-f32');

export interface HostileCase {
  readonly name: string;
  readonly kind: 'model' | 'adapter';
  /** Writes the hostile folder at `folder` (which does not exist yet). */
  readonly build: (folder: string) => Promise<void> | void;
  readonly message: RegExp;
  /** The file the error must name in `where`, relative to the folder ('' = the folder itself). */
  readonly where?: string;
}

const fixture =
  (name: string) =>
  (folder: string): void =>
    fs.cpSync(path.join(MODEL_FIXTURES, name), folder, { recursive: true });
const llama = fixture('tiny-llama-f32');

function replaceWith(folder: string, file: string, make: (target: string) => void): void {
  fs.rmSync(path.join(folder, file), { force: true, recursive: true });
  make(path.join(folder, file));
}
const linkTo =
  (device: string) =>
  (target: string): void =>
    fs.symlinkSync(device, target);
const fifo = (target: string): void => void execFileSync('mkfifo', [target]);
/** A sparse file: huge to stat, nothing on disk. */
const sparse =
  (bytes: number) =>
  (target: string): void => {
    fs.writeFileSync(target, '{}');
    fs.truncateSync(target, bytes);
  };

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

/** Overwrites element 0 of `tensorName` in a safetensors file with a float32 `value` (NaN, Infinity). */
async function poison(file: string, tensorName: string, value: number): Promise<void> {
  const info = (await readSafetensorsHeader(file)).tensors.find((t) => t.name === tensorName);
  if (!info || info.dtype !== 'F32') throw new Error(`no F32 tensor ${tensorName} in ${file}`);
  const fd = fs.openSync(file, 'r+');
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value, 0);
  fs.writeSync(fd, bytes, 0, 4, info.offset);
  fs.closeSync(fd);
}

/** A valid PEFT LoRA (q_proj and v_proj, r = 2, every layer) for ADAPTER_BASE. */
export function writeLora(folder: string, edit: (config: Record<string, unknown>) => void = () => undefined): void {
  const model = parseDecoderConfig(JSON.parse(fs.readFileSync(path.join(ADAPTER_BASE, 'config.json'), 'utf8')));
  const ramp = (n: number, k: number): Float32Array =>
    Float32Array.from({ length: n }, (_, i) => (((i + k) % 5) - 2) / 8);
  const layers = Array.from({ length: model.num_hidden_layers }, (_, l) =>
    Object.fromEntries(
      (['q_proj', 'v_proj'] as const).map((m) => {
        const f = loraFeatures(model, m);
        return [
          m,
          {
            A: tensor('float32', [2, f.in], ramp(2 * f.in, l)),
            B: tensor('float32', [f.out, 2], ramp(2 * f.out, l + 1)),
          },
        ];
      }),
    ),
  );
  const { config, weights } = encodePeftLora(
    { r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj'], layers },
    { model },
  );
  fs.mkdirSync(folder, { recursive: true });
  const json = JSON.parse(new TextDecoder().decode(config)) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(path.join(folder, 'adapter_config.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(folder, 'adapter_model.safetensors'), weights);
}

const LORA_A = 'base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight';

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'config.json linked to /dev/zero',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'config.json', linkTo('/dev/zero'));
    },
    message: /^config\.json is a device, not a regular file\.$/,
    where: 'config.json',
  },
  {
    name: 'config.json linked to /dev/urandom',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'config.json', linkTo('/dev/urandom'));
    },
    message: /^config\.json is a device, not a regular file\.$/,
    where: 'config.json',
  },
  {
    name: 'config.json as a FIFO',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'config.json', fifo);
    },
    message: /^config\.json is a named pipe \(FIFO\), not a regular file\.$/,
    where: 'config.json',
  },
  {
    name: 'config.json as a folder',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'config.json', (t) => fs.mkdirSync(t));
    },
    message: /^config\.json is a folder, not a regular file\.$/,
    where: 'config.json',
  },
  {
    name: 'config.json of 17 MiB',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'config.json', sparse(17 * 2 ** 20));
    },
    message: /^config\.json is 17\.0 MiB, more than the 16\.0 MiB such a file may have\.$/,
    where: 'config.json',
  },
  {
    name: 'config.json of binary garbage',
    kind: 'model',
    build: (f) => {
      llama(f);
      fs.writeFileSync(path.join(f, 'config.json'), Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    },
    message: /^config\.json is not valid JSON/,
    where: 'config.json',
  },
  {
    name: 'a billion layers in config.json',
    kind: 'model',
    build: (f) => {
      llama(f);
      editJson(path.join(f, 'config.json'), (j) => {
        j['num_hidden_layers'] = 1e9;
      });
    },
    message: /num_hidden_layers: is larger than any model Dovetail can run \(at most 1024\)/,
  },
  {
    name: 'a trillion positions in config.json',
    kind: 'model',
    build: (f) => {
      llama(f);
      editJson(path.join(f, 'config.json'), (j) => {
        j['max_position_embeddings'] = 1e12;
      });
    },
    message: /max_position_embeddings: is larger than any model Dovetail can run/,
  },
  {
    name: 'tokenizer.json linked to /dev/zero',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'tokenizer.json', linkTo('/dev/zero'));
    },
    message: /^tokenizer\.json is a device, not a regular file\.$/,
    where: 'tokenizer.json',
  },
  {
    name: 'tokenizer.json of 300 MiB',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'tokenizer.json', sparse(300 * 2 ** 20));
    },
    message: /^tokenizer\.json is 300 MiB, more than the 256 MiB such a file may have\.$/,
    where: 'tokenizer.json',
  },
  {
    name: 'tokenizer_config.json as a FIFO',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'tokenizer_config.json', fifo);
    },
    message: /^tokenizer_config\.json is a named pipe \(FIFO\), not a regular file\.$/,
    where: 'tokenizer_config.json',
  },
  {
    name: 'generation_config.json linked to /dev/urandom',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'generation_config.json', linkTo('/dev/urandom'));
    },
    message: /^generation_config\.json is a device, not a regular file\.$/,
    where: 'generation_config.json',
  },
  {
    name: 'chat_template.jinja as a FIFO',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'chat_template.jinja', fifo);
    },
    message: /^chat_template\.jinja is a named pipe \(FIFO\), not a regular file\.$/,
    where: 'chat_template.jinja',
  },
  {
    name: 'a tokenizer of unknown type',
    kind: 'model',
    build: (f) => {
      llama(f);
      editJson(path.join(f, 'tokenizer.json'), (j) => {
        (j['model'] as Record<string, unknown>)['type'] = 'WordLevel';
      });
    },
    message:
      /^tokenizer\.json: model\.type: "WordLevel" is not a tokenizer model Dovetail can run \(BPE, WordPiece, Unigram\)$/,
  },
  {
    name: 'model.safetensors as a FIFO',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'model.safetensors', fifo);
    },
    message: /^model\.safetensors is a named pipe \(FIFO\), not a regular file\.$/,
    where: 'model.safetensors',
  },
  {
    name: 'model.safetensors linked to /dev/zero',
    kind: 'model',
    build: (f) => {
      llama(f);
      replaceWith(f, 'model.safetensors', linkTo('/dev/zero'));
    },
    message: /^model\.safetensors is a device, not a regular file\.$/,
    where: 'model.safetensors',
  },
  {
    name: 'a safetensors header length of 2^64 - 1',
    kind: 'model',
    build: (f) => {
      llama(f);
      const fd = fs.openSync(path.join(f, 'model.safetensors'), 'r+');
      fs.writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 0);
      fs.closeSync(fd);
    },
    message: /^model\.safetensors: header length \d+ is implausible/,
    where: 'model.safetensors',
  },
  {
    name: 'a shard outside the folder',
    kind: 'model',
    build: (f) => {
      fixture('tiny-llama-sharded')(f);
      editJson(path.join(f, 'model.safetensors.index.json'), (j) => {
        const map = j['weight_map'] as Record<string, string>;
        map['model.norm.weight'] = '../model-00001-of-00002.safetensors';
      });
    },
    message:
      /^model\.safetensors\.index\.json: shard "\.\.\/model-00001-of-00002\.safetensors" is not a plain file name/,
    where: 'model.safetensors.index.json',
  },
  {
    name: 'a NaN weight',
    kind: 'model',
    build: async (f) => {
      llama(f);
      await poison(path.join(f, 'model.safetensors'), 'model.layers.1.mlp.down_proj.weight', NaN);
    },
    message:
      /^model\.safetensors: tensor "model\.layers\.1\.mlp\.down_proj\.weight" holds NaN \(element 0 of \[16, 40\]\)\.$/,
    where: 'model.safetensors',
  },
  {
    name: 'an infinite weight',
    kind: 'model',
    build: async (f) => {
      llama(f);
      await poison(path.join(f, 'model.safetensors'), 'model.norm.weight', Infinity);
    },
    message: /^model\.safetensors: tensor "model\.norm\.weight" holds Inf/,
    where: 'model.safetensors',
  },
  {
    name: 'a Qwen2 checkpoint under a Llama config',
    kind: 'model',
    build: (f) => {
      fixture('tiny-qwen2-bf16')(f);
      editJson(path.join(f, 'config.json'), (j) => {
        j['model_type'] = 'llama';
        j['architectures'] = ['LlamaForCausalLM'];
      });
    },
    message:
      /^The weights hold 6 tensors that config\.json's architecture would ignore: model\.layers\.0\.self_attn\.k_proj\.bias/,
  },
  {
    name: 'adapter_config.json linked to /dev/zero',
    kind: 'adapter',
    build: (f) => {
      writeLora(f);
      replaceWith(f, 'adapter_config.json', linkTo('/dev/zero'));
    },
    message: /^adapter_config\.json is a device, not a regular file\.$/,
    where: 'adapter_config.json',
  },
  {
    name: 'adapter_config.json of 20 MiB',
    kind: 'adapter',
    build: (f) => {
      writeLora(f);
      replaceWith(f, 'adapter_config.json', sparse(20 * 2 ** 20));
    },
    message: /^adapter_config\.json is 20\.0 MiB, more than the 16\.0 MiB/,
    where: 'adapter_config.json',
  },
  {
    name: 'adapter weights as a FIFO',
    kind: 'adapter',
    build: (f) => {
      writeLora(f);
      replaceWith(f, 'adapter_model.safetensors', fifo);
    },
    message: /^adapter_model\.safetensors is a named pipe \(FIFO\), not a regular file\.$/,
    where: 'adapter_model.safetensors',
  },
  {
    name: 'NaN adapter weights',
    kind: 'adapter',
    build: async (f) => {
      writeLora(f);
      await poison(path.join(f, 'adapter_model.safetensors'), LORA_A, NaN);
    },
    message: new RegExp(`^adapter_model\\.safetensors: tensor "${LORA_A.replace(/\./g, '\\.')}" holds NaN`),
    where: 'adapter_model.safetensors',
  },
  {
    name: 'layers_to_transform naming layers the model lacks',
    kind: 'adapter',
    build: (f) =>
      writeLora(f, (c) => {
        c['layers_to_transform'] = [1, 7];
      }),
    message:
      /^adapter_config\.json: layers_to_transform: names layer 7, but this LlamaForCausalLM has 2 layers \(0 to 1\)$/,
  },
];
