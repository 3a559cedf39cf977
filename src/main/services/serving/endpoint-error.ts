// An answer of the endpoint that is not a completion: the HTTP status with OpenAI's error body, and how the errors
// the services throw become one (a bad field names its parameter; a full queue is 429; the rest a server error).
import type { z } from 'zod';
import { CancelledError, UserError } from '../../../shared/errors';
import type { OpenAiError } from '../../../shared/openai-wire';
import { QueueFullError } from './scheduler';

export class EndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: OpenAiError,
  ) {
    super(error.message);
  }

  static invalid(message: string, param: string | null, code: string | null = null): EndpointError {
    return new EndpointError(400, { message, type: 'invalid_request_error', param, code });
  }

  static fromZod(error: z.ZodError): EndpointError {
    const issue = error.issues[0];
    const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
    return EndpointError.invalid(`${param ?? 'body'}: ${issue?.message ?? 'invalid request'}`, param);
  }

  /** The error class the request log keeps. */
  get errorClass(): string {
    return this.error.code ?? this.error.type;
  }
}

export const unauthorized = (): EndpointError =>
  new EndpointError(401, {
    message:
      'Missing, wrong or revoked API key. Send it as "Authorization: Bearer <key>"; keys are made in the ' +
      'Observability section or with dovetail serve --new-key.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  });

export const modelNotFound = (model: string): EndpointError =>
  new EndpointError(404, {
    message: `The model "${model}" does not exist: GET /v1/models lists the releases and channels served`,
    type: 'invalid_request_error',
    param: 'model',
    code: 'model_not_found',
  });

export const tooLarge = (limit: number): EndpointError =>
  new EndpointError(413, {
    message: `The request body is larger than ${limit} bytes`,
    type: 'invalid_request_error',
    param: null,
    code: 'request_too_large',
  });

export const notFoundRoute = (path: string): EndpointError =>
  new EndpointError(404, {
    message: `No endpoint ${path}: this server answers /v1/models, /v1/chat/completions, /v1/completions and /metrics`,
    type: 'invalid_request_error',
    param: null,
    code: 'unknown_url',
  });

/** Any error as the endpoint answers it. */
export function toEndpointError(error: unknown): EndpointError {
  if (error instanceof EndpointError) return error;
  if (error instanceof QueueFullError)
    return new EndpointError(429, {
      message: `${error.message}. ${error.hint ?? ''}`.trim(),
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
  if (error instanceof CancelledError)
    return new EndpointError(499, { message: 'The request was cancelled', type: 'cancelled', param: null, code: null });
  if (error instanceof UserError)
    return EndpointError.invalid(
      error.hint ? `${error.message}. ${error.hint}` : error.message,
      null,
      error.code ?? null,
    );
  return new EndpointError(500, {
    message: error instanceof Error ? error.message : 'Internal error',
    type: 'server_error',
    param: null,
    code: null,
  });
}
