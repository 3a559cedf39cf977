// Browser mode: the same services over HTTP + WebSocket, bound to loopback with a per-launch token, under the shared
// server hardening (timeouts, connection cap, Host/Origin checks, failed-token throttling; server-hardening.ts).
// Static renderer files are public (they hold no secrets; static-files.ts); every API call and the event socket need
// the token. The review-only server for other machines is review-share-server.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorShape } from '../../shared/errors';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import type { ServiceSpec } from '../../shared/contract/define';
import type { Dispatcher } from '../api/dispatcher';
import { failure, sendJson } from './http-responses';
import {
  AddressGuard,
  closeServer,
  createHardenedServer,
  listen,
  readBodyOrRefuse,
  refuseSocket,
  refuseThrottled,
  remoteOf,
  type ServerLimits,
  type TlsCredentials,
} from './server-hardening';
import { FailureThrottle } from '../platform/throttle';
import { serveStatic } from './static-files';

export interface WebServerOptions {
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); by default a fresh random one per launch. */
  token?: string;
  /** Largest accepted request body; bigger uploads go through files, not JSON calls. */
  maxBodyBytes?: number;
  /** Timeouts and the connection cap (tests shorten them). */
  limits?: Partial<ServerLimits>;
  /** Failed-token bookkeeping (tests inject one with a clock). */
  throttle?: FailureThrottle;
  /** HTTPS instead of HTTP. */
  tls?: TlsCredentials;
}

export class WebServer {
  readonly token: string;
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly unsubscribe: () => void;
  private readonly rendererDir: string;
  private readonly maxBodyBytes: number;
  private readonly throttle: FailureThrottle;
  private address: AddressInfo | undefined;
  private guard: AddressGuard | undefined;

  constructor(
    private readonly dispatcher: Dispatcher<Record<string, ServiceSpec>>,
    private readonly options: WebServerOptions,
  ) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.rendererDir = resolve(options.rendererDir);
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.throttle = options.throttle ?? new FailureThrottle();
    this.server = createHardenedServer(
      (req, res) => {
        this.route(req, res).catch((error: unknown) => sendJson(res, 500, { ok: false, error: toErrorShape(error) }));
      },
      { ...(options.limits ? { limits: options.limits } : {}), ...(options.tls ? { tls: options.tls } : {}) },
    );
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // The event socket carries every service's events: the same Host, Origin and token rules as a call (a page on
      // another site may open a WebSocket to loopback; only its Origin tells).
      if (
        url.pathname !== HTTP_ROUTES.events ||
        !this.guard?.hostAllowed(req.headers.host) ||
        !this.guard.originAllowed(req.headers.origin)
      ) {
        refuseSocket(socket, 403, 'Forbidden');
        return;
      }
      const wait = this.throttle.waitMs(remoteOf(req));
      if (wait > 0) {
        refuseSocket(socket, 429, 'Too Many Requests', { 'Retry-After': String(Math.ceil(wait / 1000)) });
        return;
      }
      const token = url.searchParams.get(HTTP_ROUTES.tokenQuery);
      if (!this.tokenMatches(token)) {
        if (token) this.throttle.fail(remoteOf(req)); // a tab opened without the token retries: that is no guess
        refuseSocket(socket, 401, 'Unauthorized');
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.sockets.emit('connection', ws, req));
    });
    this.sockets.on('connection', (ws: WebSocket) => {
      // Clients only listen; anything they send is ignored.
      ws.on('message', () => undefined);
      ws.on('error', () => ws.terminate());
    });
    this.unsubscribe = dispatcher.subscribe((message) => {
      const text = JSON.stringify(message);
      for (const client of this.sockets.clients) if (client.readyState === client.OPEN) client.send(text);
    });
  }

  async listen(): Promise<string> {
    this.address = await listen(this.server, this.options.host ?? '127.0.0.1', this.options.port ?? 0);
    this.guard = new AddressGuard(this.options.tls ? 'https' : 'http', this.address);
    return this.url;
  }

  /** The listening server (tests watch its connections). */
  get httpServer(): Server {
    return this.server;
  }

  /** The address to open, token included. */
  get url(): string {
    if (!this.address) throw new Error('Server is not listening');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.address.port}/?${HTTP_ROUTES.tokenQuery}=${this.token}`;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    await closeServer(this.server);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.guard?.hostAllowed(req.headers.host)) {
      // A foreign Host header means DNS rebinding or a misdirected request: refuse before anything else.
      sendJson(res, 403, failure('Forbidden host', 'forbidden'));
      return;
    }
    if (url.pathname.startsWith(HTTP_ROUTES.apiPrefix)) {
      await this.handleCall(req, res, url.pathname.slice(HTTP_ROUTES.apiPrefix.length));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, failure('Method not allowed', 'method-not-allowed'));
      return;
    }
    await serveStatic(this.rendererDir, url.pathname, res, { appRoutes: true });
  }

  private async handleCall(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, failure('Use POST for API calls', 'method-not-allowed'));
      return;
    }
    if (!this.guard?.originAllowed(req.headers.origin)) {
      sendJson(res, 403, failure('Cross-origin calls are refused', 'forbidden'));
      return;
    }
    if (refuseThrottled(this.throttle, req, res)) return;
    const header = req.headers[HTTP_ROUTES.tokenHeader];
    if (!this.tokenMatches(typeof header === 'string' ? header : null)) {
      if (header) this.throttle.fail(remoteOf(req)); // only a wrong token is a guess; a missing one tells nothing
      sendJson(
        res,
        401,
        failure(
          'Missing or wrong access token',
          'unauthorized',
          'Open the address Dovetail printed, which carries the token.',
        ),
      );
      return;
    }
    const [service = '', method = '', ...extra] = rest.split('/');
    const read = await readBodyOrRefuse(req, res, this.maxBodyBytes);
    if (!read) return;
    if (extra.length > 0) {
      sendJson(res, 404, failure(`Unknown method ${rest}`, 'unknown-method'));
      return;
    }
    const response = await this.dispatcher.handle({ service, method, arg: read.body }, { transport: 'http' });
    sendJson(res, 200, response);
  }

  private tokenMatches(candidate: string | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
