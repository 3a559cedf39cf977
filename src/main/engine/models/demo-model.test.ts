// The bundled demo model loads through the normal loader (no special cases) and its tokenizer matches the ids
// transformers produced for the model card (fixture from tools/demo-model/verify_hf.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from './index';

const folder = join(import.meta.dirname, '../../../../resources/models/dovetail-wordnet-13m');
interface GreedyCase {
  kind: 'chat' | 'raw';
  messages?: { role: string; content: string }[];
  prompt_text: string;
  input_ids: number[];
  generated_ids: number[];
  generated_text: string;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__/demo-model-greedy.json'), 'utf8')) as {
  cases: GreedyCase[];
};

describe('bundled demo model', () => {
  it('loads as a sharded F16 Llama with GQA', async () => {
    const checkpoint = await loadCheckpoint(folder);
    expect(checkpoint.config.architecture).toBe('LlamaForCausalLM');
    expect(checkpoint.config.num_key_value_heads).toBeLessThan(checkpoint.config.num_attention_heads);
    expect(checkpoint.tensors.sharded).toBe(true);
    expect(checkpoint.dtype).toBe('F16');
    expect(checkpoint.sizes.parameters).toBe(12_587_904);
    expect(checkpoint.contextLength).toBe(512);
  });

  it('tokenizes and renders chats exactly as transformers did', async () => {
    const { tokenizer } = await loadCheckpoint(folder);
    for (const c of fixture.cases) {
      if (c.kind === 'chat' && c.messages) {
        expect(tokenizer.renderChat(c.messages, { addGenerationPrompt: true })).toBe(c.prompt_text);
      }
      expect(tokenizer.encode(c.prompt_text, { addSpecialTokens: false })).toEqual(c.input_ids);
      expect(tokenizer.decode(c.generated_ids, { skipSpecialTokens: false })).toBe(c.generated_text);
    }
  });

  it('round-trips text, including accents and symbols', async () => {
    const { tokenizer } = await loadCheckpoint(folder);
    const text = 'Crème brûlée — a dessert; "quoted", tabs\tand  spaces, 日本語 ✓';
    expect(tokenizer.decode(tokenizer.encode(text, { addSpecialTokens: false }))).toBe(text);
  });
});
