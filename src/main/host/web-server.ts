// Browser mode: the same services over HTTP + WebSocket, bound to loopback with a per-launch token.
// Static renderer files are public (they hold no secrets); every API call and the event socket need the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorShape, UserError } from '../../shared/errors';
import { HTTP_ROUTES, type CallResponse } from '../../shared/contract/wire';
import type { ServiceSpec } from '../../shared/contract/define';
import type { Dispatcher } from '../api/dispatcher';
import { CONTENT_SECURITY_POLICY } from './security';

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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

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
    await this.serveStatic(url.pathname, res);
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

  private async serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      sendText(res, 400, 'Bad path');
      return;
    }
    if (relative === '/' || relative === '') relative = '/index.html';
    const file = normalize(join(this.rendererDir, relative));
    if (!file.startsWith(this.rendererDir + sep)) {
      sendText(res, 404, 'Not found');
      return;
    }
    let target = file;
    const info = await stat(target).catch(() => undefined);
    if (!info?.isFile()) {
      // Client-side routes fall back to the app; missing assets (with an extension) are real 404s.
      if (extname(relative) !== '') {
        sendText(res, 404, 'Not found');
        return;
      }
      target = join(this.rendererDir, 'index.html');
    }
    const bytes = await readFile(target);
    res.writeHead(200, {
      ...securityHeaders(),
      'content-type': MIME[extname(target)] ?? 'application/octet-stream',
      'cache-control': target.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(bytes);
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

/** The reviewer and round a share token stands for (undefined: unknown, revoked, or the round is closed). */
export type ShareResolver = (token: string) => { roundId: string; userId: string } | undefined;

/** The reviewer methods reachable on a shared interface; nothing else answers there. */
export const SHARED_REVIEW_METHODS: readonly string[] = ['queue', 'item', 'vote', 'undo'];

/**
 * A round shared with reviewers on other machines (issue 8): listens on a chosen interface and answers only
 * POST /api/call/reviews/<queue|item|vote|undo> carrying a reviewer's own token, for that token's round, as that
 * reviewer (CallContext.userId), plus the reviewer's self-contained page at /. No app files, no events, no other
 * service: the app itself stays on loopback.
 */
export class ReviewShareServer {
  private readonly server: Server;
  private address: AddressInfo | undefined;

  constructor(
    private readonly dispatcher: Dispatcher<Record<string, ServiceSpec>>,
    private readonly resolveToken: ShareResolver,
    private readonly options: { host: string; port: number; maxBodyBytes?: number; page?: (nonce: string) => string },
  ) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => sendJson(res, 500, { ok: false, error: toErrorShape(error) }));
    });
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolveListen());
    });
    this.address = this.server.address() as AddressInfo;
    return this.address;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD') && this.options.page) {
      // The reviewer's page; the token is in the fragment, so this answer needs none and holds no data.
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, {
        ...securityHeaders(),
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(this.options.page(nonce));
      return;
    }
    const prefix = `${HTTP_ROUTES.apiPrefix}reviews/`;
    const method = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (req.method !== 'POST' || !SHARED_REVIEW_METHODS.includes(method)) {
      sendJson(res, 404, failure('Only review calls answer here', 'not-found'));
      return;
    }
    const header = req.headers[HTTP_ROUTES.tokenHeader];
    const share = typeof header === 'string' && header !== '' ? this.resolveToken(header) : undefined;
    if (!share) {
      sendJson(res, 401, failure('Missing, wrong or revoked review token', 'unauthorized', 'Ask the organiser for a new link.'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
      sendJson(res, 403, failure('Cross-origin calls are refused', 'forbidden'));
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, this.options.maxBodyBytes ?? 256 * 1024);
    } catch (error) {
      sendJson(res, 400, { ok: false, error: toErrorShape(error) });
      return;
    }
    if (typeof body !== 'object' || body === null || (body as { roundId?: unknown }).roundId !== share.roundId) {
      sendJson(res, 403, failure('This token is for another round', 'forbidden'));
      return;
    }
    sendJson(res, 200, await this.dispatcher.handle({ service: 'reviews', method, arg: body }, { transport: 'http', userId: share.userId }));
  }
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function failure(message: string, code: string, hint?: string): CallResponse {
  return { ok: false, error: toErrorShape(new UserError(message, hint === undefined ? { code } : { code, hint })) };
}

function sendJson(res: ServerResponse, status: number, body: CallResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
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
