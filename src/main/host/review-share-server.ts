// A round shared with reviewers on other machines: listens on the one interface the organiser chose (loopback unless
// they pick another), over HTTPS with the workspace's certificate or plain HTTP, under the shared server hardening
// (server-hardening.ts), and answers only POST /api/call/reviews/<queue|item|vote|undo> carrying a reviewer's own
// token, for that token's round, as that reviewer (CallContext.reviewerLink, which the dispatcher's access check turns
// into the actor), plus the built renderer's static files, which run the queue in portal mode. No other service, no
// events, no client-side routes: the app itself stays on loopback.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceSpec } from '../../shared/contract/define';
import { REVIEWER_METHODS } from '../../shared/contract/reviews';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import { toErrorShape } from '../../shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import { failure, sendJson } from './http-responses';
import {
  AddressGuard,
  closeServer,
  createHardenedServer,
  listen,
  readBodyOrRefuse,
  refuseThrottled,
  remoteOf,
  type ServerLimits,
  type TlsCredentials,
} from './server-hardening';
import { FailureThrottle } from '../platform/throttle';
import { workspaceCertificate } from './share-certificate';
import { serveStatic } from './static-files';

/** The reviewer and round a share token stands for (undefined: unknown, revoked, or the round is closed). */
export type ShareResolver = (token: string) => { roundId: string; userId: string } | undefined;

export interface ReviewShareServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes?: number;
  /** The built renderer (out/renderer); absent (headless), only the API answers. */
  readonly rendererDir?: string;
  /** HTTPS with this key and certificate; absent, plain HTTP (the service allows that on loopback only). */
  readonly tls?: TlsCredentials;
  readonly limits?: Partial<ServerLimits>;
  readonly throttle?: FailureThrottle;
}

export class ReviewShareServer {
  private readonly server: Server;
  private readonly throttle: FailureThrottle;
  private guard: AddressGuard | undefined;

  constructor(
    private readonly dispatcher: Dispatcher<Record<string, ServiceSpec>>,
    private readonly resolveToken: ShareResolver,
    private readonly options: ReviewShareServerOptions,
  ) {
    this.throttle = options.throttle ?? new FailureThrottle();
    this.server = createHardenedServer(
      (req, res) => {
        this.route(req, res).catch((error: unknown) => sendJson(res, 500, { ok: false, error: toErrorShape(error) }));
      },
      { ...(options.limits ? { limits: options.limits } : {}), ...(options.tls ? { tls: options.tls } : {}) },
    );
  }

  get scheme(): 'http' | 'https' {
    return this.options.tls ? 'https' : 'http';
  }

  /** The listening server (tests watch its connections). */
  get httpServer(): Server {
    return this.server;
  }

  async listen(): Promise<AddressInfo> {
    const address = await listen(this.server, this.options.host, this.options.port);
    this.guard = new AddressGuard(this.scheme, address);
    return address;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.guard?.hostAllowed(req.headers.host)) {
      // A Host this server does not serve means DNS rebinding or a misdirected request: refuse before anything else.
      sendJson(res, 403, failure('Forbidden host', 'forbidden'));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (!api && (req.method === 'GET' || req.method === 'HEAD') && this.options.rendererDir !== undefined) {
      // The app's files are public and the token is in the link's fragment: these answers need none and hold no data.
      await serveStatic(this.options.rendererDir, url.pathname, res, { appRoutes: false });
      return;
    }
    const prefix = `${HTTP_ROUTES.apiPrefix}reviews/`;
    const method = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (req.method !== 'POST' || !(REVIEWER_METHODS as readonly string[]).includes(method)) {
      sendJson(res, 404, failure('Only review calls answer here', 'not-found'));
      return;
    }
    if (!this.guard.originAllowed(req.headers.origin)) {
      sendJson(res, 403, failure('Cross-origin calls are refused', 'forbidden'));
      return;
    }
    if (refuseThrottled(this.throttle, req, res)) return;
    const header = req.headers[HTTP_ROUTES.tokenHeader];
    const share = typeof header === 'string' && header !== '' ? this.resolveToken(header) : undefined;
    if (!share) {
      // only a wrong token is a guess
      if (typeof header === 'string' && header !== '') this.throttle.fail(remoteOf(req));
      sendJson(
        res,
        401,
        failure('Missing, wrong or revoked review token', 'unauthorized', 'Ask the organiser for a new link.'),
      );
      return;
    }
    const read = await readBodyOrRefuse(req, res, this.options.maxBodyBytes ?? 256 * 1024);
    if (!read) return;
    const body = read.body;
    if (typeof body !== 'object' || body === null || (body as { roundId?: unknown }).roundId !== share.roundId) {
      sendJson(res, 403, failure('This token is for another round', 'forbidden'));
      return;
    }
    sendJson(
      res,
      200,
      await this.dispatcher.handle(
        { service: 'reviews', method, arg: body },
        { transport: 'http', reviewerLink: { userId: share.userId, roundId: share.roundId } },
      ),
    );
  }
}

/** A started share server as the reviews service holds it. */
export interface StartedShareServer {
  readonly port: number;
  readonly scheme: 'http' | 'https';
  /** SHA-256 fingerprint of the certificate reviewers' browsers will be shown (null: plain HTTP). */
  readonly fingerprint256: string | null;
  close(): Promise<void>;
}

/** Starts a share server on `host`, over HTTPS with the workspace's certificate when `tls` is set. */
export async function startShareServer(
  dispatcher: Dispatcher<Record<string, ServiceSpec>>,
  resolveToken: ShareResolver,
  options: Omit<ReviewShareServerOptions, 'tls'> & { readonly tls: boolean; readonly workspaceDir: string },
): Promise<StartedShareServer> {
  const { tls, workspaceDir, ...rest } = options;
  const certificate = tls ? await workspaceCertificate(workspaceDir) : undefined;
  const server = new ReviewShareServer(dispatcher, resolveToken, {
    ...rest,
    ...(certificate ? { tls: certificate } : {}),
  });
  const address = await server.listen();
  return {
    port: address.port,
    scheme: server.scheme,
    fingerprint256: certificate?.fingerprint256 ?? null,
    close: () => server.close(),
  };
}
