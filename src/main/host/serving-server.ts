// The serving endpoint's HTTP server: OpenAI's GET /v1/models, POST /v1/chat/completions and /v1/completions (JSON or
// server-sent events), and GET /metrics (Prometheus text), every call with an API key (Authorization: Bearer), on
// the shared server hardening (timeouts, connection cap, Host and Origin checks, failed-key throttling). Generation,
// keys and records are the serving service's (ServingBackend); this file speaks HTTP.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { UserError } from '../../shared/errors';
import type { OpenAiError } from '../../shared/openai-wire';
import { FailureThrottle } from '../platform/throttle';
import type { ServingBackend, StartedServer, ServerRequest } from '../services/serving';
import { EndpointError, notFoundRoute, tooLarge, unauthorized } from '../services/serving/endpoint-error';
import type { Endpoint } from '../services/serving/prepare';
import { readJsonBody, sendJsonValue } from './http-responses';
import {
  answerIds,
  chunk,
  completionBody,
  endEvents,
  modelList,
  sendError,
  startEvents,
  usageChunk,
  writeEvent,
} from './openai-answers';
import { AddressGuard, closeServer, createHardenedServer, listen, remoteOf } from './server-hardening';

const ROUTES: Record<string, Endpoint> = { '/v1/chat/completions': 'chat', '/v1/completions': 'completions' };

export class ServingServer {
  private readonly server: Server;
  private guard: AddressGuard | undefined;
  private readonly throttle = new FailureThrottle();

  constructor(private readonly backend: ServingBackend) {
    // Node's request timeout bounds receiving a request, not answering it, so a long generation is not cut off.
    this.server = createHardenedServer(
      (req, res) => {
        this.route(req, res).catch((error: unknown) =>
          sendError(res, 500, {
            message: error instanceof Error ? error.message : 'Internal error',
            type: 'server_error',
            param: null,
            code: null,
          }),
        );
      },
      {
        limits: {
          requestTimeoutMs: 30_000,
          maxConnections: Math.max(64, backend.limits.maxConcurrent + backend.limits.maxQueue + 16),
        },
      },
    );
  }

  async listen(host: string, port: number): Promise<number> {
    const address = await listen(this.server, host, port);
    this.guard = new AddressGuard('http', address);
    return address.port;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const endpoint = ROUTES[path];
    const refuse = (failure: EndpointError, headers: Record<string, string> = {}, model: string | null = null) => {
      this.backend.refused({
        endpoint: endpoint ?? 'other',
        model,
        stream: false,
        status: failure.status,
        errorClass: failure.errorClass,
        totalMs: performance.now() - started,
      });
      sendError(res, failure.status, failure.error, headers);
    };
    if (!this.guard?.hostAllowed(req.headers.host) || !this.guard.originAllowed(req.headers.origin)) {
      // Another Host means DNS rebinding; another Origin a web page: neither may reach the endpoint.
      refuse(
        new EndpointError(403, {
          message: 'Forbidden host or origin',
          type: 'invalid_request_error',
          param: null,
          code: 'forbidden',
        }),
      );
      return;
    }
    const wait = this.throttle.waitMs(remoteOf(req));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      refuse(
        new EndpointError(429, {
          message: `Too many wrong API keys from this address: try again in ${seconds} s`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        }),
        { 'retry-after': String(seconds) },
      );
      return;
    }
    if (!this.backend.authenticate(bearer(req))) {
      if (bearer(req) !== undefined) this.throttle.fail(remoteOf(req)); // only a wrong key counts as a guess
      refuse(unauthorized());
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJsonValue(res, 200, modelList(await this.backend.models()));
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(await this.backend.metrics());
      return;
    }
    if (req.method !== 'POST' || endpoint === undefined) {
      refuse(notFoundRoute(`${req.method ?? ''} ${path}`));
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, this.backend.limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof UserError && error.code === 'too-large') {
        // Read a modest excess away first, so the client gets the answer instead of a reset connection; the
        // connection closes after it either way (its unread rest would be parsed as the next request).
        await drain(req, 4 * this.backend.limits.maxBodyBytes);
        refuse(tooLarge(this.backend.limits.maxBodyBytes), { connection: 'close' });
        return;
      }
      refuse(EndpointError.invalid('The request body is not valid JSON', null, 'invalid_json'));
      return;
    }
    await this.complete(endpoint, body, res);
  }

  private async complete(endpoint: Endpoint, body: unknown, res: ServerResponse): Promise<void> {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as {
      model?: unknown;
      stream?: unknown;
      stream_options?: { include_usage?: unknown } | null;
    };
    const ids = answerIds(endpoint, typeof fields.model === 'string' ? fields.model : '');
    const stream = fields.stream === true;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(); // the client went away: stop generating for it
    });
    let open = false;
    const begin = () => {
      if (open) return;
      open = true;
      startEvents(res);
      if (endpoint === 'chat') writeEvent(res, chunk(endpoint, ids, { role: true, text: '' }));
    };
    try {
      const done = await this.backend.complete(
        endpoint,
        body,
        (text) => {
          if (!stream) return;
          begin();
          writeEvent(res, chunk(endpoint, ids, { text }));
        },
        controller.signal,
      );
      if (!stream) {
        sendJsonValue(res, 200, completionBody(endpoint, ids, done.text, done.finishReason, done.usage));
        return;
      }
      begin();
      writeEvent(res, chunk(endpoint, ids, { finishReason: done.finishReason }));
      if (fields.stream_options?.include_usage === true) writeEvent(res, usageChunk(endpoint, ids, done.usage));
      endEvents(res);
    } catch (error) {
      if (controller.signal.aborted) return; // nobody is listening any more
      const failure: OpenAiError =
        error instanceof EndpointError
          ? error.error
          : { message: String(error), type: 'server_error', param: null, code: null };
      sendError(res, error instanceof EndpointError ? error.status : 500, failure);
    }
  }
}

/** Reads and drops the rest of a body when it is at most `limit` bytes in all (by its Content-Length). */
async function drain(req: IncomingMessage, limit: number): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (!Number.isFinite(declared) || declared > limit || req.readableEnded) return;
  await new Promise<void>((done) => {
    req.once('end', done);
    req.once('close', done);
    req.on('data', () => undefined);
    req.resume();
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Starts the endpoint's server (the serving service's openServer). */
export async function startServingServer(request: ServerRequest, backend: ServingBackend): Promise<StartedServer> {
  const server = new ServingServer(backend);
  const port = await server.listen(request.host, request.port);
  return { port, close: () => server.close() };
}
