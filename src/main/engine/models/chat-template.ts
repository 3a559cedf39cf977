// Chat templates (tokenizer_config.json "chat_template" or chat_template.jinja) rendered as transformers'
// apply_chat_template does, through the guarded interpreter: a model folder is untrusted, so a hostile template stops
// in the engine worker with a UserError naming its file, never a hang or a crash.
import { UserError } from '../../../shared/errors';
import {
  parseGuarded,
  RAISED,
  renderGuarded,
  TemplateFailureError,
  type GuardedTemplate,
} from '../templates/guarded-render';

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

const FIX_HINT = 'Use raw completion mode, or fix the template in a copy of the model folder.';

/**
 * A parsed chat template; parse errors are kept so a model with an unusable template still runs raw completions.
 * Rendered with messages, add_generation_prompt, tools, documents and the special tokens as strings (bos_token, ...).
 */
export class ChatTemplate {
  private readonly template: GuardedTemplate | null;
  /** Why the template could not be parsed (plain words, with line and column), or null. */
  readonly error: string | null;

  constructor(
    readonly source: string,
    /** Where the template came from, e.g. "<folder>/tokenizer_config.json: chat_template". */
    readonly where: string,
  ) {
    let template: GuardedTemplate | null = null;
    let error: string | null = null;
    try {
      template = parseGuarded(source);
    } catch (e) {
      error = e instanceof TemplateFailureError ? e.failure.message : String(e);
    }
    this.template = template;
    this.error = error;
  }

  /** Renders the conversation; `specialTokens` maps bos_token, eos_token, ... to their strings. */
  render(
    messages: readonly ChatMessage[],
    specialTokens: Record<string, string>,
    options: ChatTemplateOptions = {},
  ): string {
    if (this.template === null) {
      throw new UserError(`The model's chat template (${this.where}) cannot be parsed: ${this.error ?? ''}`, {
        where: this.where,
        hint: FIX_HINT,
        code: 'chat-template',
      });
    }
    const context = {
      ...specialTokens,
      ...options.variables,
      messages,
      add_generation_prompt: options.addGenerationPrompt ?? false,
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.documents ? { documents: options.documents } : {}),
    };
    try {
      return renderGuarded(this.template, context, { globals: { strftime_now: strftimeNow } }).text;
    } catch (e) {
      if (!(e instanceof TemplateFailureError)) throw e;
      const f = e.failure;
      // The template's own raise_exception('...') says what it needs of the conversation.
      const hint =
        f.code === 'template-render'
          ? 'Check the message roles and their order (many templates need alternating user and assistant turns), or ' +
            'use raw completion mode.'
          : `${f.hint} ${FIX_HINT}`;
      const what = f.message.startsWith(RAISED)
        ? `refuses this conversation: ${f.message.slice(RAISED.length)}`
        : `failed on this conversation: ${f.message}`;
      throw new UserError(`The model's chat template (${this.where}) ${what}`, {
        where: this.where,
        hint,
        code: 'chat-template',
        cause: e,
      });
    }
  }
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** transformers' strftime_now (Llama 3 templates print today's date): the common strftime codes, local time. */
function strftimeNow(format: unknown): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const codes: Record<string, string> = {
    d: pad(d.getDate()),
    m: pad(d.getMonth() + 1),
    Y: String(d.getFullYear()),
    y: pad(d.getFullYear() % 100),
    H: pad(d.getHours()),
    M: pad(d.getMinutes()),
    S: pad(d.getSeconds()),
    B: MONTHS[d.getMonth()]!,
    b: MONTHS[d.getMonth()]!.slice(0, 3),
    A: DAYS[d.getDay()]!,
    a: DAYS[d.getDay()]!.slice(0, 3),
    '%': '%',
  };
  return String(format).replace(/%([a-zA-Z%])/g, (whole, code: string) => codes[code] ?? whole);
}
