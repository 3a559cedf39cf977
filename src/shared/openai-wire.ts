// The subset of the OpenAI API the serving endpoint speaks (chat completions, completions, models), as zod schemas of
// the requests and TypeScript shapes of the answers, named as OpenAI names them. Unknown request fields are ignored,
// as OpenAI-compatible servers do; fields we cannot honour (n > 1) are refused by name.
import { z } from 'zod';

const Text = z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }).loose())]);

const Sampling = {
  model: z.string({ error: 'model is required' }).min(1, 'model is required'),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(4)]).nullish(),
  seed: z.number().int().min(0).max(0xffff_ffff).nullish(),
  n: z.literal(1, { error: 'only n = 1 is served' }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
  /** vLLM's extension: keep generating through the end-of-sequence token up to max_tokens. */
  ignore_eos: z.boolean().nullish(),
};

export const ChatCompletionRequest = z
  .object({
    ...Sampling,
    messages: z
      .array(
        z
          .object({ role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']), content: Text.nullish() })
          .loose(),
      )
      .min(1, 'messages must hold at least one message'),
  })
  .loose();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const CompletionRequest = z
  .object({
    ...Sampling,
    prompt: z.union([z.string(), z.array(z.string()).length(1, 'one prompt per request (n = 1)')]),
  })
  .loose();
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export type OpenAiFinishReason = 'stop' | 'length';

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** `{error: {...}}` with the HTTP status it goes with. */
export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** The text of a message's content (a string, or the text parts of a list). */
export function contentText(content: z.infer<typeof Text> | null | undefined): string {
  if (content === null || content === undefined) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}
