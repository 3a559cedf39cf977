// The model's tokenizer: tokenizer.json + tokenizer_config.json through @huggingface/tokenizers, its special tokens,
// its chat template (chat-template.ts), raw-completion and chat encoding as transformers does them, and streaming
// decoders (stream-decoder.ts). Reads only the tokenizer files of the folder.
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { ChatTemplate, type ChatMessage, type ChatTemplateOptions } from './chat-template';
import { describe, describeIssues, parseJsonBytes, readOptionalFile, readRequiredFile } from './files';
import { StreamDecoder } from './stream-decoder';

export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'chat_template.jinja',
  'special_tokens_map.json',
] as const;

export interface SpecialToken {
  token: string;
  id: number;
}

export interface SpecialTokens {
  bos: SpecialToken | null;
  eos: SpecialToken | null;
  pad: SpecialToken | null;
  unk: SpecialToken | null;
}

/** What to encode: a conversation through the chat template, or raw text as-is (completion mode). */
export type PromptInput =
  { mode: 'chat'; messages: ChatMessage[]; options?: ChatTemplateOptions } | { mode: 'raw'; text: string };

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
}

/** The raw tokenizer files, as read from a folder (also handy for tests). */
export interface TokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig: unknown;
  /** chat_template.jinja, which transformers prefers over tokenizer_config.json's chat_template. */
  chatTemplateFile?: string | null;
  /** For error messages: the folder or file path. */
  where?: string;
}

/** The tokenizer models @huggingface/tokenizers implements; another type would be guessed at from its fields. */
export const TOKENIZER_MODEL_TYPES = ['BPE', 'WordPiece', 'Unigram'] as const;

const TokenizerJson = z.looseObject({
  model: z.looseObject({
    type: z
      .string()
      .refine((t) => (TOKENIZER_MODEL_TYPES as readonly string[]).includes(t), {
        error: (issue) =>
          `"${String(issue.input)}" is not a tokenizer model Dovetail can run (${TOKENIZER_MODEL_TYPES.join(', ')})`,
      })
      .optional(),
    vocab: z.union([z.record(z.string(), z.number()), z.array(z.unknown())], {
      error: (issue) =>
        issue.input === undefined ? 'is missing (a tokenizer needs a vocabulary)' : 'must be an object or a list',
    }),
  }),
  added_tokens: z.array(z.looseObject({ id: z.number().int().nonnegative(), content: z.string() })).default([]),
});

const TokenValue = z.union([z.string(), z.looseObject({ content: z.string() }), z.null()]).optional();
const TemplateList = z.array(z.object({ name: z.string(), template: z.string() }));
const TokenizerConfig = z.looseObject({
  bos_token: TokenValue,
  eos_token: TokenValue,
  pad_token: TokenValue,
  unk_token: TokenValue,
  chat_template: z.union([z.string(), TemplateList, z.null()]).optional(),
  model_max_length: z.number().optional(),
});

export class ModelTokenizer {
  readonly specialTokens: SpecialTokens;
  /** null for base models that ship no chat template. */
  readonly chatTemplate: ChatTemplate | null;
  /** Highest token id + 1 (model vocabulary plus added tokens). */
  readonly vocabSize: number;
  /** tokenizer_config.json model_max_length when it is a real limit, else null. */
  readonly modelMaxLength: number | null;
  private readonly tokenizer: Tokenizer;

  constructor(files: TokenizerFiles) {
    const where = files.where ?? 'tokenizer.json';
    const json = TokenizerJson.safeParse(files.tokenizerJson);
    if (!json.success) throw tokenizerError(`tokenizer.json: ${describeIssues(json.error)}`, where);
    const config = TokenizerConfig.safeParse(files.tokenizerConfig);
    if (!config.success) throw tokenizerError(`tokenizer_config.json: ${describeIssues(config.error)}`, where);
    try {
      // The library wants these keys present even when null.
      const full = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...json.data };
      this.tokenizer = new Tokenizer(full, config.data);
    } catch (error) {
      throw tokenizerError(`tokenizer.json cannot be loaded: ${describe(error)}`, where);
    }
    const ids = [...this.tokenizer.get_vocab(true).values()];
    this.vocabSize = ids.reduce((a, b) => Math.max(a, b), -1) + 1;
    const c = config.data;
    const special = (field: string, value: z.infer<typeof TokenValue>): SpecialToken | null => {
      const token = typeof value === 'string' ? value : (value?.content ?? null);
      if (token === null) return null;
      const id = this.tokenizer.token_to_id(token);
      if (id === undefined)
        throw tokenizerError(`tokenizer_config.json: ${field} "${token}" is not in tokenizer.json's vocabulary`, where);
      return { token, id };
    };
    this.specialTokens = {
      bos: special('bos_token', c.bos_token),
      eos: special('eos_token', c.eos_token),
      pad: special('pad_token', c.pad_token),
      unk: special('unk_token', c.unk_token),
    };
    // transformers uses a huge sentinel (1e30) when there is no limit.
    this.modelMaxLength = c.model_max_length !== undefined && c.model_max_length < 1e12 ? c.model_max_length : null;
    this.chatTemplate = pickTemplate(files.chatTemplateFile ?? null, c.chat_template ?? null, files.where);
  }

  /** Token ids of text; addSpecialTokens applies the tokenizer's post-processor (e.g. a leading BOS). */
  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    if (ids.length === 0) return '';
    return this.tokenizer.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  /** Renders a conversation with the chat template (HF apply_chat_template with tokenize=False). */
  renderChat(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
    if (this.chatTemplate === null) {
      throw new UserError('This model has no chat template (it is probably a base model).', {
        where: 'tokenizer_config.json: chat_template',
        hint: 'Use raw completion mode, or choose an instruct/chat version of the model.',
        code: 'chat-template',
      });
    }
    const tokens: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.specialTokens)) if (value) tokens[`${key}_token`] = value.token;
    return this.chatTemplate.render(messages, tokens, options);
  }

  /**
   * Prompt ids as transformers builds them: a chat is rendered and encoded without adding special tokens (the
   * template writes them); raw text is encoded with them (as the text-generation pipeline does).
   */
  encodePrompt(input: PromptInput): number[] {
    if (input.mode === 'raw') return this.encode(input.text, { addSpecialTokens: true });
    const text = this.renderChat(input.messages, { addGenerationPrompt: true, ...input.options });
    return this.encode(text, { addSpecialTokens: false });
  }

  /** A decoder that turns generated ids into text as they arrive; `context` is e.g. the prompt's last ids. */
  createStreamDecoder(options: DecodeOptions & { context?: readonly number[] } = {}): StreamDecoder {
    return new StreamDecoder((ids) => this.decode(ids, options), options.context ?? []);
  }
}

/** Loads tokenizer.json, tokenizer_config.json and chat_template.jinja (when present) from a model folder. */
export async function loadTokenizer(folder: string): Promise<ModelTokenizer> {
  const read = async (name: string): Promise<unknown> => {
    const path = join(folder, name);
    const hint =
      name === 'tokenizer.json'
        ? 'Dovetail needs the fast tokenizer file tokenizer.json (tokenizer.model alone is not enough); save the ' +
          'tokenizer with transformers AutoTokenizer.save_pretrained.'
        : 'tokenizer_config.json holds the special tokens and chat template; copy it from the original checkpoint.';
    return parseJsonBytes(await readRequiredFile(path, hint), path);
  };
  const templateFile = await readOptionalFile(join(folder, 'chat_template.jinja'));
  return new ModelTokenizer({
    tokenizerJson: await read('tokenizer.json'),
    tokenizerConfig: await read('tokenizer_config.json'),
    chatTemplateFile: templateFile === null ? null : templateFile.toString('utf-8'),
    where: folder,
  });
}

function pickTemplate(
  file: string | null,
  fromConfig: string | { name: string; template: string }[] | null,
  folder: string | undefined,
): ChatTemplate | null {
  const at = (name: string): string => (folder ? join(folder, name) : name);
  if (file !== null) return new ChatTemplate(file, at('chat_template.jinja'));
  if (typeof fromConfig === 'string')
    return new ChatTemplate(fromConfig, `${at('tokenizer_config.json')}: chat_template`);
  if (Array.isArray(fromConfig)) {
    // A list of named templates: transformers uses "default" unless told otherwise.
    const chosen = fromConfig.find((t) => t.name === 'default') ?? fromConfig[0];
    if (chosen)
      return new ChatTemplate(chosen.template, `${at('tokenizer_config.json')}: chat_template "${chosen.name}"`);
  }
  return null;
}

function tokenizerError(message: string, where: string): UserError {
  return new UserError(message, {
    where,
    hint: 'The tokenizer files are damaged or from another model; copy tokenizer.json and tokenizer_config.json again.',
    code: 'model-tokenizer',
  });
}
