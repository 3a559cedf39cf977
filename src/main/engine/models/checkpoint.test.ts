// loadCheckpoint on the fixture folders (F32, F16, BF16, sharded) and on damaged copies of them.
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { loadCheckpoint } from './checkpoint';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'dovetail-checkpoint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let copies = 0;
/** A writable copy of a fixture folder. */
function copy(folder: string): string {
  const target = join(tmp, `${folder}-${copies++}`);
  cpSync(join(FIXTURES, folder), target, { recursive: true });
  return target;
}

async function loadError(folder: string): Promise<UserError> {
  const error = await loadCheckpoint(folder).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

// Llama fixture: embed + lm_head 2 x 384x16, 2 layers of (32x16 + 2x16x16 + 16x32 + 3x40x16 + 2x16), final norm 16.
const LLAMA_PARAMS = 2 * 384 * 16 + 2 * (512 + 512 + 512 + 1920 + 32) + 16;

describe('loadCheckpoint', () => {
  it('loads the F32 Llama fixture with sizes, dtype and context length', async () => {
    const c = await loadCheckpoint(join(FIXTURES, 'tiny-llama-f32'));
    expect(c.config.architecture).toBe('LlamaForCausalLM');
    expect(c.config.rope_scaling?.rope_type).toBe('llama3');
    expect(c.sizes.parameters).toBe(LLAMA_PARAMS);
    expect(c.sizes.bytesOnDisk).toBe(readFileSync(join(FIXTURES, 'tiny-llama-f32', 'model.safetensors')).length);
    expect(c.dtype).toBe('F32');
    expect(c.dtypes).toEqual({ F32: LLAMA_PARAMS });
    expect(c.contextLength).toBe(256);
    expect(c.generation_config).toBeNull();
    expect(c.eosTokenIds).toEqual([c.tokenizer.specialTokens.eos?.id]);
    expect(c.headerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(c.tokenizer.encode('the fox').length).toBeGreaterThan(1);
  });

  it('loads F16, BF16 (tied, Qwen2) and sharded variants', async () => {
    const f16 = await loadCheckpoint(join(FIXTURES, 'tiny-llama-f16'));
    expect(f16.dtype).toBe('F16');
    expect(f16.generation_config).toMatchObject({ do_sample: true, temperature: 0.7, top_p: 0.9 });
    const imEnd = f16.tokenizer.tokenToId('<|im_end|>') ?? -1;
    expect(f16.eosTokenIds).toContain(imEnd); // from generation_config.json's eos list

    const qwen = await loadCheckpoint(join(FIXTURES, 'tiny-qwen2-bf16'));
    expect(qwen.dtype).toBe('BF16');
    expect(qwen.weights.tied).toBe(true);
    expect(qwen.sizes.parameters).toBe(384 * 16 + 2 * (256 + 128 + 128 + 256 + 16 + 8 + 8 + 1920 + 32) + 16);

    const sharded = await loadCheckpoint(join(FIXTURES, 'tiny-llama-sharded'));
    expect(sharded.tensors.sharded).toBe(true);
    expect(sharded.sizes.parameters).toBe(LLAMA_PARAMS);
    expect(sharded.weights.lm_head.file).toBe('model-00002-of-00002.safetensors');
  });

  it('gives a stable content hash that changes with the config, tokenizer or weight layout', async () => {
    const folder = copy('tiny-llama-f32');
    const first = (await loadCheckpoint(folder)).headerHash;
    expect((await loadCheckpoint(folder)).headerHash).toBe(first);
    expect((await loadCheckpoint(join(FIXTURES, 'tiny-llama-f32'))).headerHash).toBe(first); // path-independent
    const hashes = new Set([first]);
    for (const folderName of ['tiny-llama-f16', 'tiny-llama-sharded', 'tiny-qwen2-bf16']) {
      hashes.add((await loadCheckpoint(join(FIXTURES, folderName))).headerHash);
    }
    expect(hashes.size).toBe(4);
    const config = join(folder, 'tokenizer_config.json');
    writeFileSync(config, readFileSync(config, 'utf-8').replace('"model_max_length": 256', '"model_max_length": 128'));
    expect((await loadCheckpoint(folder)).headerHash).not.toBe(first);
  });
});

describe('loadCheckpoint identity', () => {
  it('keys by the registry content hash when given, else by the files themselves (never shared by two copies)', async () => {
    const a = await loadCheckpoint(copy('tiny-llama-f32'));
    const b = await loadCheckpoint(copy('tiny-llama-f32'));
    expect(a.headerHash).toBe(b.headerHash);
    expect(a.contentHash).toMatch(/^local-[0-9a-f]{64}$/);
    expect(a.contentHash).not.toBe(b.contentHash);
    expect((await loadCheckpoint(a.folder, { contentHash: 'registry-hash' })).contentHash).toBe('registry-hash');
  });
});

describe('loadCheckpoint errors', () => {
  it('names a missing folder, a file given as folder and missing files', async () => {
    const missing = await loadError(join(tmp, 'nope'));
    expect(missing.message).toBe('The model folder does not exist.');
    expect(missing.code).toBe('model-folder');
    expect((await loadError(join(FIXTURES, 'tiny-llama-f32', 'config.json'))).message).toMatch(
      /is a file, not a folder/,
    );

    for (const [file, message] of [
      ['config.json', /^config\.json is missing from the model folder\.$/],
      ['tokenizer.json', /^tokenizer\.json is missing/],
      ['tokenizer_config.json', /^tokenizer_config\.json is missing/],
      ['model.safetensors', /^No weights: neither model\.safetensors nor model\.safetensors\.index\.json/],
    ] as const) {
      const folder = copy('tiny-llama-f32');
      unlinkSync(join(folder, file));
      const e = await loadError(folder);
      expect(e.message).toMatch(message);
      expect(e.hint).toBeTruthy();
    }
  });

  it('names corrupt JSON files', async () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) {
      const folder = copy('tiny-llama-f16');
      writeFileSync(join(folder, file), '{"oops": ');
      const e = await loadError(folder);
      expect(e.message).toMatch(new RegExp(`^${file.replace('.', '\\.')} is not valid JSON`));
      expect(e.where).toBe(join(folder, file));
    }
  });

  it('names a truncated safetensors file and a missing shard', async () => {
    const folder = copy('tiny-llama-f32');
    const weights = join(folder, 'model.safetensors');
    truncateSync(weights, readFileSync(weights).length - 100);
    expect((await loadError(folder)).message).toMatch(
      /^model\.safetensors: tensor ".*" ends at byte \d+ but the file has \d+ bytes \(truncated\?\)$/,
    );

    const sharded = copy('tiny-llama-sharded');
    unlinkSync(join(sharded, 'model-00002-of-00002.safetensors'));
    expect((await loadError(sharded)).message).toBe('model-00002-of-00002.safetensors: file not found');
  });

  it('reports weights that do not match config.json and a tokenizer larger than vocab_size', async () => {
    const folder = copy('tiny-llama-f32');
    const configPath = join(folder, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf-8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, intermediate_size: 48 }));
    expect((await loadError(folder)).message).toMatch(
      /^The weights do not match config\.json \(wrong shape 6: model\.layers\.0\.mlp\.gate_proj\.weight is \[40, 16\], config\.json implies \[48, 16\]/,
    );

    const tokenizerPath = join(folder, 'tokenizer.json');
    writeFileSync(configPath, JSON.stringify(config));
    const tokenizer = JSON.parse(readFileSync(tokenizerPath, 'utf-8')) as {
      added_tokens: { id: number; content: string }[];
    };
    tokenizer.added_tokens.push({ ...tokenizer.added_tokens[0], id: 400, content: '<|extra|>' } as {
      id: number;
      content: string;
    });
    writeFileSync(tokenizerPath, JSON.stringify(tokenizer));
    expect((await loadError(folder)).message).toBe(
      'tokenizer.json has token ids up to 400, but config.json vocab_size is 384.',
    );
  });

  it('reports an unsupported architecture from config.json', async () => {
    const folder = copy('tiny-llama-f32');
    const configPath = join(folder, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf-8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, architectures: ['GPT2LMHeadModel'] }));
    const e = await loadError(folder);
    expect(e.message).toBe('config.json: architectures: GPT2LMHeadModel is not supported');
    expect(e.where).toBe(`${configPath}: architectures`);
  });
});
