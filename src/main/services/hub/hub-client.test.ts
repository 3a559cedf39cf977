// Which files of a Hub repo make a checkpoint Dovetail reads, and the refusals of repos that are not one.
import { describe, expect, it } from 'vitest';
import { chooseFiles, type RemoteFile } from './hub-client';

const file = (path: string, size = 10): RemoteFile => ({ path, size, sha256: null, gitOid: 'a'.repeat(40) });

describe('chooseFiles', () => {
  it("keeps the configs, tokenizer and transformers' safetensors, smallest first, and nothing else", () => {
    const tree = [
      file('model-00001-of-00002.safetensors', 500),
      file('model-00002-of-00002.safetensors', 400),
      file('consolidated.safetensors', 900),
      file('pytorch_model.bin', 900),
      file('onnx/model.onnx', 900),
      file('original/params.json'),
      file('README.md'),
      file('.gitattributes'),
      file('config.json', 1),
      file('generation_config.json', 2),
      file('tokenizer.json', 50),
      file('tokenizer_config.json', 3),
      file('special_tokens_map.json', 4),
      file('model.safetensors.index.json', 5),
    ];
    expect(chooseFiles(tree, 'o/m').map((f) => f.path)).toEqual([
      'config.json',
      'generation_config.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'model.safetensors.index.json',
      'tokenizer.json',
      'model-00002-of-00002.safetensors',
      'model-00001-of-00002.safetensors',
    ]);
  });

  it('refuses a repo without config.json or without safetensors, naming it', () => {
    expect(() => chooseFiles([file('model.gguf')], 'o/gguf')).toThrow(
      expect.objectContaining({ code: 'hub-not-a-checkpoint', where: 'o/gguf' }),
    );
    expect(() => chooseFiles([file('config.json'), file('pytorch_model.bin')], 'o/bin')).toThrow(
      expect.objectContaining({ code: 'hub-no-safetensors', message: 'o/bin has no .safetensors weights.' }),
    );
  });
});
