// A round shared with reviewers on other machines (issue 8): listens on a chosen interface and answers only
// POST /api/call/reviews/<queue|item|vote|undo> carrying a reviewer's own token, for that token's round, as that
// reviewer (CallContext.reviewerLink, which the dispatcher's access check turns into the actor), plus the built renderer's static files, which run the queue in portal mode
// (src/renderer/src/portal). No other service, no events, no client-side routes: the app itself stays on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceSpec } from '../../shared/contract/define';
import { REVIEWER_METHODS } from '../../shared/contract/reviews';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import { toErrorShape } from '../../shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import { failure, readJsonBody, sendJson } from './http-responses';
import { serveStatic } from './static-files';

/** The reviewer and round a share token stands for (undefined: unknown, revoked, or the round is closed). */
export type ShareResolver = (token: string) => { roundId: string; userId: string } | undefined;

export interface ReviewShareServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes?: number;
  /** The built renderer (out/renderer); absent (headless), only the API answers. */
  readonly rendererDir?: string;
}

export class ReviewShareServer {
  private readonly server: Server;
  private address: AddressInfo | undefined;

  constructor(
    private readonly dispatcher: Dispatcher<Record<string, ServiceSpec>>,
    private readonly resolveToken: ShareResolver,
    private readonly options: ReviewShareServerOptions,
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
    const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (!api && (req.method === 'GET' || req.method === 'HEAD') && this.options.rendererDir !== undefined) {
      // The app's files are public and the token is in the link's fragment, so these answers need none and hold no data.
      await serveStatic(this.options.rendererDir, url.pathname, res, { appRoutes: false });
      return;
    }
    const prefix = `${HTTP_ROUTES.apiPrefix}reviews/`;
    const method = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (req.method !== 'POST' || !(REVIEWER_METHODS as readonly string[]).includes(method)) {
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
    sendJson(res, 200, await this.dispatcher.handle({ service: 'reviews', method, arg: body }, { transport: 'http', reviewerLink: { userId: share.userId, roundId: share.roundId } }));
  }
}
