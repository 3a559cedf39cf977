// Tokenizer: ids against an independent BPE encoder, round trips, special tokens, chat templates against jinja2
// renderings (as transformers configures jinja2), raw-completion prompts, and streaming decoding of split characters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { ChatTemplate, type ChatMessage } from './chat-template';
import { StreamDecoder } from './stream-decoder';
import { loadTokenizer, ModelTokenizer } from './tokenizer';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const FOLDER = join(FIXTURES, 'tiny-llama-f32');

interface TokenizerReference {
  encode: { text: string; ids: number[] }[];
  templates: Record<string, string>;
  special: Record<string, string>;
  chat: { template: string; messages: ChatMessage[]; add_generation_prompt: boolean; text: string }[];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'tokenizer-reference.json'), 'utf-8')) as TokenizerReference;
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(FOLDER, name), 'utf-8'));

describe('ModelTokenizer', () => {
  it('encodes as the reference byte-level BPE does (with the BOS the post-processor adds)', async () => {
    const tok = await loadTokenizer(FOLDER);
    for (const { text, ids } of reference.encode) {
      expect(tok.encode(text)).toEqual(ids);
      expect(tok.encode(text, { addSpecialTokens: false })).toEqual(ids.slice(1));
    }
  });

  it('decodes back to the same text, with and without special tokens', async () => {
    const tok = await loadTokenizer(FOLDER);
    for (const { text } of reference.encode) {
      const ids = tok.encode(text);
      expect(tok.decode(ids, { skipSpecialTokens: true })).toBe(text);
      expect(tok.decode(ids)).toBe(`<|begin_of_text|>${text}`);
    }
    expect(tok.decode([])).toBe('');
  });

  it('knows its special tokens and vocabulary size', async () => {
    const tok = await loadTokenizer(FOLDER);
    const bos = tok.tokenToId('<|begin_of_text|>') ?? -1;
    expect(tok.specialTokens).toEqual({
      bos: { token: '<|begin_of_text|>', id: bos },
      eos: { token: '<|end_of_text|>', id: bos + 1 },
      pad: { token: '<|pad|>', id: bos + 4 },
      unk: null,
    });
    expect(tok.vocabSize).toBe(bos + 5);
    expect(tok.idToToken(bos + 2)).toBe('<|im_start|>');
    expect(tok.modelMaxLength).toBe(256);
  });

  it('encodes special tokens written in text as single ids', async () => {
    const tok = await loadTokenizer(FOLDER);
    const ids = tok.encode('<|im_start|>user\nhi<|im_end|>', { addSpecialTokens: false });
    expect(ids[0]).toBe(tok.tokenToId('<|im_start|>'));
    expect(ids.at(-1)).toBe(tok.tokenToId('<|im_end|>'));
  });

  it('accepts special tokens in the AddedToken object form of older tokenizer_config.json files', () => {
    const config = readJson('tokenizer_config.json') as Record<string, unknown>;
    const tok = new ModelTokenizer({
      tokenizerJson: readJson('tokenizer.json'),
      tokenizerConfig: {
        ...config,
        eos_token: {
          __type: 'AddedToken',
          content: '<|end_of_text|>',
          lstrip: false,
          normalized: false,
          rstrip: false,
          single_word: false,
        },
      },
    });
    expect(tok.specialTokens.eos?.token).toBe('<|end_of_text|>');
  });

  it('gives clear errors for a tokenizer without a vocabulary or with unknown special tokens', () => {
    const json = readJson('tokenizer.json') as { model: Record<string, unknown> };
    const config = readJson('tokenizer_config.json') as Record<string, unknown>;
    const { vocab: _v, ...noVocab } = json.model;
    expect(() => new ModelTokenizer({ tokenizerJson: { ...json, model: noVocab }, tokenizerConfig: config })).toThrow(
      /tokenizer\.json: model\.vocab: is missing/,
    );
    expect(() => new ModelTokenizer({ tokenizerJson: json, tokenizerConfig: { ...config, bos_token: '<s>' } })).toThrow(
      /bos_token "<s>" is not in tokenizer\.json's vocabulary/,
    );
    expect(() => new ModelTokenizer({ tokenizerJson: 'nope', tokenizerConfig: config })).toThrow(UserError);
    // A type the library does not implement would be guessed at from its fields (as BPE): refused by name.
    const wordLevel = { ...json, model: { ...(json as { model: object }).model, type: 'WordLevel' } };
    expect(() => new ModelTokenizer({ tokenizerJson: wordLevel, tokenizerConfig: config })).toThrow(
      /^tokenizer\.json: model\.type: "WordLevel" is not a tokenizer model Dovetail can run \(BPE, WordPiece, Unigram\)$/,
    );
  });
});

describe('chat templates', () => {
  it.each(reference.chat.map((c, i) => [i, c.template, c.add_generation_prompt, c] as const))(
    'case %i (%s, add_generation_prompt %s) renders as jinja2 does',
    (_i, name, _g, c) => {
      const template = new ChatTemplate(reference.templates[name] ?? '', 'test');
      expect(template.error).toBeNull();
      expect(template.render(c.messages, reference.special, { addGenerationPrompt: c.add_generation_prompt })).toBe(
        c.text,
      );
    },
  );

  it('renders with the tokenizer special tokens and encodes chats without adding BOS twice', async () => {
    const tok = await loadTokenizer(FOLDER);
    const messages = [{ role: 'user', content: 'hi' }];
    const text = tok.renderChat(messages, { addGenerationPrompt: true });
    expect(text).toBe('<|begin_of_text|><|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
    const ids = tok.encodePrompt({ mode: 'chat', messages });
    expect(ids.filter((id) => id === tok.specialTokens.bos?.id)).toHaveLength(1);
    expect(tok.decode(ids)).toBe(text);
    expect(tok.encodePrompt({ mode: 'raw', text: 'hi' })).toEqual(tok.encode('hi'));
  });

  it("passes the template's raise_exception message to the user", async () => {
    const tok = await loadTokenizer(FOLDER);
    const error = (() => {
      try {
        tok.renderChat([{ role: 'robot', content: 'beep' }]);
      } catch (e) {
        return e as UserError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UserError);
    const where = `${join(FOLDER, 'tokenizer_config.json')}: chat_template`;
    expect(error?.message).toBe(`The model's chat template (${where}) refuses this conversation: Unknown role: robot`);
    expect(error?.where).toBe(where);
  });

  it('handles models without a template, templates that do not parse, and lists of named templates', () => {
    const json = readJson('tokenizer.json');
    const config = readJson('tokenizer_config.json') as Record<string, unknown>;
    const base = new ModelTokenizer({ tokenizerJson: json, tokenizerConfig: { ...config, chat_template: undefined } });
    expect(base.chatTemplate).toBeNull();
    expect(() => base.renderChat([{ role: 'user', content: 'x' }])).toThrow(/no chat template/);
    const broken = new ModelTokenizer({
      tokenizerJson: json,
      tokenizerConfig: { ...config, chat_template: '{% for m in messages %}' },
    });
    expect(broken.chatTemplate?.error).toBeTruthy();
    expect(() => broken.renderChat([{ role: 'user', content: 'x' }])).toThrow(/cannot be parsed/);
    expect(broken.encodePrompt({ mode: 'raw', text: 'x' }).length).toBe(2);
    const named = new ModelTokenizer({
      tokenizerJson: json,
      tokenizerConfig: {
        ...config,
        chat_template: [
          { name: 'tool_use', template: 'T' },
          { name: 'default', template: 'D{{ eos_token }}' },
        ],
      },
    });
    expect(named.renderChat([])).toBe('D<|end_of_text|>');
    const fromFile = new ModelTokenizer({
      tokenizerJson: json,
      tokenizerConfig: config,
      chatTemplateFile: 'F{{ messages | length }}',
    });
    expect(fromFile.renderChat([{ role: 'user', content: 'x' }])).toBe('F1');
  });
});

describe('streaming decode', () => {
  it('emits text only once characters are complete, and the pieces add up to the full decode', async () => {
    const tok = await loadTokenizer(FOLDER);
    const text = 'café 日本語 😀 naïve, the end';
    const ids = tok.encode(text, { addSpecialTokens: false });
    const stream = tok.createStreamDecoder();
    const pieces = ids.map((id) => stream.push(id));
    pieces.push(stream.flush());
    expect(pieces.join('')).toBe(text);
    expect(pieces.join('')).toBe(tok.decode(ids));
    // "日" is three byte tokens: nothing comes out until its last byte arrives.
    const ri = pieces.findIndex((p) => p.includes('日'));
    expect(pieces[ri - 1]).toBe('');
    expect(pieces[ri - 2]).toBe('');
    expect(pieces.every((p) => !p.includes('\uFFFD'))).toBe(true);
  });

  it('skips special tokens when asked and keeps prompt context out of the output', async () => {
    const tok = await loadTokenizer(FOLDER);
    const prompt = tok.encode('the fox');
    const answer = tok.encode(' runs into the forest', { addSpecialTokens: false });
    const eos = tok.specialTokens.eos?.id ?? -1;
    const stream = tok.createStreamDecoder({ skipSpecialTokens: true, context: prompt });
    const out = [...answer, eos].map((id) => stream.push(id)).join('') + stream.flush();
    expect(out).toBe(' runs into the forest');
  });

  it('flushes an incomplete character at the end as U+FFFD', () => {
    const bytes: Record<number, number[]> = { 1: [0x61], 2: [0xe6], 3: [0x97] };
    const decode = (ids: readonly number[]): string =>
      new TextDecoder().decode(new Uint8Array(ids.flatMap((id) => bytes[id] ?? [])));
    const stream = new StreamDecoder(decode);
    expect(stream.push(1)).toBe('a');
    expect(stream.push(2)).toBe('');
    expect(stream.push(3)).toBe('');
    expect(stream.flush()).toBe('\uFFFD');
  });

  it('keeps the space a SentencePiece-style decoder strips from the first token of a window', () => {
    // Like Metaspace: every token starts with a space, and decode() strips the leading one.
    const vocab: Record<number, string> = { 1: ' Hello', 2: ' world', 3: '!' };
    const decode = (ids: readonly number[]): string =>
      ids
        .map((id) => vocab[id] ?? '')
        .join('')
        .replace(/^ /, '');
    const stream = new StreamDecoder(decode);
    expect([1, 2, 3].map((id) => stream.push(id)).join('')).toBe('Hello world!');
  });
});
