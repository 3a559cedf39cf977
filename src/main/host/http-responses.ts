// HTTP answers shared by the browser-mode server and the review share server: the security headers every response
// carries, JSON envelopes and plain text, and the bounded JSON body reader.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallResponse } from '../../shared/contract/wire';
import { toErrorShape, UserError } from '../../shared/errors';
import { CONTENT_SECURITY_POLICY } from './security';

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

export function failure(message: string, code: string, hint?: string): CallResponse {
  return { ok: false, error: toErrorShape(new UserError(message, hint === undefined ? { code } : { code, hint })) };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: CallResponse,
  headers: Record<string, string> = {},
): void {
  sendJsonValue(res, status, body, headers);
}

/** Any JSON value with the security headers, uncached (the serving endpoint answers OpenAI's shapes). */
export function sendJsonValue(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * The body as JSON, read up to `limit` bytes. Past the limit it stops reading (without destroying the socket, so that
 * the caller can still answer) and rejects with a 'too-large' UserError; the caller must then close the connection.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolveBody({});
        return;
      }
      try {
        resolveBody(JSON.parse(text) as unknown);
      } catch {
        reject(
          new UserError('The request body is not valid JSON', {
            code: 'bad-request',
            hint: 'Send the argument as a JSON object.',
          }),
        );
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number): UserError {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MiB` : `${Math.round(limit / 1024)} KiB`;
  return new UserError(`Request body over ${size}`, { code: 'too-large', hint: 'Send large data as a file import.' });
}
