// Browser mode: the same services over HTTP + WebSocket, bound to loopback with a per-launch token.
// Static renderer files are public (they hold no secrets; static-files.ts); every API call and the event socket need
// the token. The review-only server for other machines is review-share-server.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorShape } from '../../shared/errors';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import type { ServiceSpec } from '../../shared/contract/define';
import type { Dispatcher } from '../api/dispatcher';
import { failure, readJsonBody, sendJson } from './http-responses';
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
}

export class WebServer {
  readonly token: string;
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly unsubscribe: () => void;
  private readonly rendererDir: string;
  private readonly maxBodyBytes: number;
  private address: AddressInfo | undefined;

  constructor(
    private readonly dispatcher: Dispatcher<Record<string, ServiceSpec>>,
    private readonly options: WebServerOptions,
  ) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.rendererDir = resolve(options.rendererDir);
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => sendJson(res, 500, { ok: false, error: toErrorShape(error) }));
    });
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== HTTP_ROUTES.events || !this.hostAllowed(req) || !this.tokenMatches(url.searchParams.get(HTTP_ROUTES.tokenQuery))) {
        socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        socket.destroy();
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
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolveListen());
    });
    this.address = this.server.address() as AddressInfo;
    return this.url;
  }

  /** The address to open, token included. */
  get url(): string {
    if (!this.address) throw new Error('Server is not listening');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}/?${HTTP_ROUTES.tokenQuery}=${this.token}`;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.hostAllowed(req)) {
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
    const header = req.headers[HTTP_ROUTES.tokenHeader];
    if (!this.tokenMatches(typeof header === 'string' ? header : null)) {
      sendJson(res, 401, failure('Missing or wrong access token', 'unauthorized', 'Open the address Dovetail printed, which carries the token.'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      sendJson(res, 403, failure('Cross-origin calls are refused', 'forbidden'));
      return;
    }
    const [service = '', method = '', ...extra] = rest.split('/');
    let body: unknown;
    try {
      body = await readJsonBody(req, this.maxBodyBytes);
    } catch (error) {
      sendJson(res, 400, { ok: false, error: toErrorShape(error) });
      return;
    }
    if (extra.length > 0) {
      sendJson(res, 404, failure(`Unknown method ${rest}`, 'unknown-method'));
      return;
    }
    const response = await this.dispatcher.handle({ service, method, arg: body }, { transport: 'http' });
    sendJson(res, 200, response);
  }

  private tokenMatches(candidate: string | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    if (!host || !this.address) return false;
    const port = this.address.port;
    const bound = this.options.host ?? '127.0.0.1';
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bound}:${port}`]);
    return allowed.has(host.toLowerCase());
  }

  private originAllowed(origin: string): boolean {
    try {
      const url = new URL(origin);
      return this.hostAllowed({ headers: { host: url.host } } as IncomingMessage) && url.protocol === 'http:';
    } catch {
      return false;
    }
  }
}
