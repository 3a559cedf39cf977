// OpenAI's answer shapes for the serving endpoint: chat.completion and text_completion objects, their streamed
// chunks as server-sent events, the model list and `{error}` bodies, each with the headers every answer carries.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ServedModel } from '../../shared/contract/serving';
import type { OpenAiError, OpenAiFinishReason, OpenAiUsage } from '../../shared/openai-wire';
import type { Endpoint } from '../services/serving/prepare';
import { securityHeaders, sendJsonValue } from './http-responses';

export interface AnswerIds {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export function answerIds(endpoint: Endpoint, model: string): AnswerIds {
  const prefix = endpoint === 'chat' ? 'chatcmpl' : 'cmpl';
  return { id: `${prefix}-${randomBytes(12).toString('hex')}`, created: Math.floor(Date.now() / 1000), model };
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: OpenAiError,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    // A stream under way: the error is its last event (the openai client raises it).
    writeEvent(res, { error });
    res.end();
    return;
  }
  sendJsonValue(res, status, { error }, headers);
}

export function modelList(models: readonly ServedModel[]): unknown {
  return {
    object: 'list',
    data: models.map((m) => ({
      id: m.id,
      object: 'model',
      created: Math.floor(Date.parse(m.createdAt) / 1000),
      owned_by: 'dovetail',
    })),
  };
}

export function completionBody(
  endpoint: Endpoint,
  ids: AnswerIds,
  text: string,
  finishReason: OpenAiFinishReason,
  usage: OpenAiUsage,
): unknown {
  const { id, created, model } = ids;
  const choice =
    endpoint === 'chat'
      ? {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: finishReason,
        }
      : { index: 0, text, logprobs: null, finish_reason: finishReason };
  return {
    id,
    object: endpoint === 'chat' ? 'chat.completion' : 'text_completion',
    created,
    model,
    system_fingerprint: null,
    choices: [choice],
    usage,
  };
}

/** One streamed chunk: `text` as a delta (the first chat chunk also carries the role), or the finish. */
export function chunk(
  endpoint: Endpoint,
  ids: AnswerIds,
  part: { text?: string; role?: boolean; finishReason?: OpenAiFinishReason },
): unknown {
  const { id, created, model } = ids;
  const finish = part.finishReason ?? null;
  if (endpoint === 'chat') {
    const delta = {
      ...(part.role ? { role: 'assistant' } : {}),
      ...(part.text !== undefined ? { content: part.text } : {}),
    };
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
  }
  return {
    id,
    object: 'text_completion',
    created,
    model,
    choices: [{ index: 0, text: part.text ?? '', logprobs: null, finish_reason: finish }],
  };
}

/** The last chunk when the client asked for usage (stream_options.include_usage): no choices, the counts. */
export function usageChunk(endpoint: Endpoint, ids: AnswerIds, usage: OpenAiUsage): unknown {
  return {
    id: ids.id,
    object: endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created: ids.created,
    model: ids.model,
    choices: [],
    usage,
  };
}

export function startEvents(res: ServerResponse): void {
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
}

export function writeEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

export function endEvents(res: ServerResponse): void {
  res.end('data: [DONE]\n\n');
}
