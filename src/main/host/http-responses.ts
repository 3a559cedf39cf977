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

export function sendJson(res: ServerResponse, status: number, body: CallResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new UserError(`Request body over ${Math.round(limit / 1024 / 1024)} MiB`, { code: 'too-large', hint: 'Send large data as a file import.' });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserError('The request body is not valid JSON', { code: 'bad-request', hint: 'Send the argument as a JSON object.' });
  }
}
