// An OpenAI request made into what the engine generates for a release: the prompt (a chat's last user message fills
// the template's input field(s), through the same render path the Playground and experiments use; a raw completion
// prompt skips the template) and the decoding (the release's own settings, the request's fields on top).
import { randomInt } from 'node:crypto';
import type { DecodingOverrides } from '../../../shared/decoding-settings';
import {
  ChatCompletionRequest,
  CompletionRequest,
  contentText,
  type ChatCompletionRequest as Chat,
} from '../../../shared/openai-wire';
import type { GenerationPrompt } from '../../engine/generation-protocol';
import { promptsFor } from '../specializations/resolve';
import type { ServedTarget } from './catalog';
import { EndpointError } from './endpoint-error';

export type Endpoint = 'chat' | 'completions';

export interface PreparedRequest {
  readonly prompt: GenerationPrompt;
  /** The prompt as text, for the log when it keeps text. */
  readonly promptText: string;
  readonly settings: DecodingOverrides;
  readonly seed: number;
}

/** The validated body of either endpoint. */
export function parseBody(endpoint: Endpoint, body: unknown): Chat | CompletionRequest {
  const parsed = (endpoint === 'chat' ? ChatCompletionRequest : CompletionRequest).safeParse(body);
  if (!parsed.success) throw EndpointError.fromZod(parsed.error);
  return parsed.data;
}

export async function prepare(
  endpoint: Endpoint,
  body: Chat | CompletionRequest,
  target: ServedTarget,
  maxTokens: number,
): Promise<PreparedRequest> {
  const { settings, seed } = decodingFor(target.resolved.decoding, body, maxTokens);
  if (endpoint === 'completions') {
    const text = (body as CompletionRequest).prompt;
    const raw = Array.isArray(text) ? (text[0] ?? '') : text;
    return { prompt: { mode: 'raw', text: raw }, promptText: raw, settings, seed };
  }
  const fields = fieldsOf(body as Chat, target.inputFields);
  const roles = { input: Object.keys(fields), reference: null };
  const [one] = await promptsFor(target.resolved, [{ row: fields, where: 'the user message' }], roles);
  if (!one) throw EndpointError.invalid('The template rendered nothing', 'messages');
  return { prompt: one.prompt, promptText: one.rendered.text, settings, seed };
}

/** The template's input fields from the last user message: its text for one field, a JSON object for several. */
function fieldsOf(body: Chat, inputFields: readonly string[]): Record<string, string> {
  const user = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!user) throw EndpointError.invalid('messages must hold a user message (it fills the template)', 'messages');
  const text = contentText(user.content);
  if (inputFields.length === 0) return { input: text };
  if (inputFields.length === 1) return { [inputFields[0]!]: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const names = inputFields.join(', ');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw EndpointError.invalid(
      `This release's template reads several fields (${names}): send them as a JSON object in the user message`,
      'messages',
    );
  const values = parsed as Record<string, unknown>;
  return Object.fromEntries(
    inputFields.map((f) => [f, typeof values[f] === 'string' ? values[f] : JSON.stringify(values[f] ?? '')]),
  );
}

function decodingFor(
  release: DecodingOverrides,
  body: Chat | CompletionRequest,
  maxTokens: number,
): { settings: DecodingOverrides; seed: number } {
  const { seed: releaseSeed, ...settings } = release;
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (asked !== null && asked !== undefined && asked > maxTokens)
    throw EndpointError.invalid(`max_tokens is at most ${maxTokens} on this server`, 'max_tokens');
  settings.max_new_tokens = asked ?? Math.min(settings.max_new_tokens ?? 256, maxTokens);
  if (body.temperature !== null && body.temperature !== undefined) {
    if (body.temperature === 0) settings.do_sample = false;
    else {
      settings.do_sample = true;
      settings.temperature = body.temperature;
    }
  }
  if (body.top_p !== null && body.top_p !== undefined) settings.top_p = body.top_p;
  if (body.stop !== null && body.stop !== undefined)
    settings.stop_strings = Array.isArray(body.stop) ? body.stop : [body.stop];
  if (body.ignore_eos !== null && body.ignore_eos !== undefined) settings.ignore_eos = body.ignore_eos;
  // A request without a seed samples differently each time, as OpenAI does; the release's seed stands for greedy runs.
  const seed = body.seed ?? (settings.do_sample ? randomInt(0, 2 ** 32) : (releaseSeed ?? 0));
  return { settings, seed };
}
