// Chat templates (the Jinja of tokenizer_config.json "chat_template" or chat_template.jinja) rendered with
// @huggingface/jinja the way transformers' apply_chat_template does: messages, add_generation_prompt, tools,
// documents and the special tokens as strings (bos_token, eos_token, ...), trim_blocks and lstrip_blocks on.
import { Template } from '@huggingface/jinja';
import { UserError } from '../../../shared/errors';
import { describe } from './files';

export interface ChatMessage {
  role: string; // "system" | "user" | "assistant" | "tool", as the template expects
  content: string;
  [field: string]: unknown;
}

export interface ChatTemplateOptions {
  /** Append the assistant turn's opening so the model answers (HF add_generation_prompt). */
  addGenerationPrompt?: boolean;
  tools?: unknown[];
  documents?: unknown[];
  /** Extra template variables some templates read (e.g. enable_thinking). */
  variables?: Record<string, unknown>;
}

/** A parsed chat template; parse errors are kept so a model with an unusable template still runs raw completions. */
export class ChatTemplate {
  private readonly template: Template | null;
  /** Why the template could not be parsed, or null. */
  readonly error: string | null;

  constructor(
    readonly source: string,
    /** Where the template came from, e.g. "tokenizer_config.json: chat_template". */
    readonly where: string,
  ) {
    let template: Template | null = null;
    let error: string | null = null;
    try {
      template = new Template(source);
    } catch (e) {
      error = describe(e);
    }
    this.template = template;
    this.error = error;
  }

  /** Renders the conversation; `specialTokens` maps bos_token, eos_token, ... to their strings. */
  render(messages: readonly ChatMessage[], specialTokens: Record<string, string>, options: ChatTemplateOptions = {}): string {
    if (this.template === null) {
      throw new UserError(`The model's chat template cannot be parsed: ${this.error ?? ''}`, {
        where: this.where,
        hint: 'Use raw completion mode, or fix the template in a copy of the model folder.',
        code: 'chat-template',
      });
    }
    try {
      return this.template.render({
        ...specialTokens,
        ...options.variables,
        messages,
        add_generation_prompt: options.addGenerationPrompt ?? false,
        ...(options.tools ? { tools: options.tools } : {}),
        ...(options.documents ? { documents: options.documents } : {}),
      });
    } catch (e) {
      // The template's own raise_exception('...') arrives here as a plain Error carrying its message.
      throw new UserError(`The chat template failed on this conversation: ${describe(e)}`, {
        where: this.where,
        hint: 'Check the message roles and their order (many templates need alternating user and assistant turns), or use raw completion mode.',
        code: 'chat-template',
        cause: e,
      });
    }
  }
}
