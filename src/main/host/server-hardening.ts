// The one set of least-privilege controls for every HTTP server Dovetail runs (browser mode, the review share server,
// any later one): header, request, keep-alive and idle timeouts; a connection cap; Host and Origin checks against the
// addresses the server actually serves; throttling of failed tokens per remote address; optional TLS.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { toErrorShape, UserError } from '../../shared/errors';
import { failure, readJsonBody, sendJson } from './http-responses';
import type { FailureThrottle } from '../platform/throttle';
import { isLoopback } from '../platform/addresses';

export interface ServerLimits {
  /** Time a client has to send a request's headers (slow-header attacks). */
  readonly headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (half-sent requests). */
  readonly requestTimeoutMs: number;
  /** How long a keep-alive connection may wait for its next request. */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic at all for this long is dropped (connect-and-wait). */
  readonly idleTimeoutMs: number;
  /** Sockets open at once; further connections are closed on accept. */
  readonly maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  maxConnections: 64,
};

/** PEM key and certificate; given, the server speaks HTTPS only. */
export interface TlsCredentials {
  readonly key: string;
  readonly cert: string;
}

export interface HardenedServerOptions {
  readonly limits?: Partial<ServerLimits>;
  readonly tls?: TlsCredentials;
}

/** An HTTP (or, with `tls`, HTTPS) server with the limits applied. */
export function createHardenedServer(handler: RequestListener, options: HardenedServerOptions = {}): Server {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const base = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node enforces the header and request timeouts in a periodic sweep: sweep often enough for the shorter one.
    connectionsCheckingInterval: Math.max(
      25,
      Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4),
    ),
  };
  const guarded: RequestListener = (req, res) => {
    // The idle rule is for silent clients, not for an answer being worked on: a long call writes nothing until it is
    // done. The request timeout still bounds the rest of the request's body; after the answer Node arms the
    // keep-alive timeout on the socket.
    req.socket.setTimeout(0);
    handler(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          ...base,
          key: options.tls.key,
          cert: options.tls.cert,
          minVersion: 'TLSv1.2',
          handshakeTimeout: limits.headersTimeoutMs,
        },
        guarded,
      )
    : createHttpServer(base, guarded);
  server.maxConnections = limits.maxConnections;
  // With no 'timeout' listener Node destroys a socket idle this long: before its first request or between requests.
  server.setTimeout(limits.idleTimeoutMs);
  return server;
}

/** Binds and answers the bound address. */
export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      done();
    });
  });
  return server.address() as AddressInfo;
}

/** Drops every connection and stops listening. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  if (!server.listening) return;
  await new Promise<void>((done) => server.close(() => done()));
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * The Host (and Origin host) values a server bound to `address` answers: the literal address with its port, plus
 * `localhost` on loopback, plus every address of the machine when bound to a wildcard. Anything else is a DNS
 * rebinding attempt or a misdirected request.
 */
export class AddressGuard {
  private readonly hosts: ReadonlySet<string>;

  constructor(
    readonly scheme: 'http' | 'https',
    bound: AddressInfo,
    interfaces: NodeJS.Dict<readonly { address: string }[]> = networkInterfaces(),
  ) {
    const names = new Set<string>([bound.address]);
    if (isLoopback(bound.address)) names.add('localhost');
    if (WILDCARDS.has(bound.address)) {
      names.add('localhost');
      for (const list of Object.values(interfaces)) for (const entry of list ?? []) names.add(entry.address);
    }
    const defaultPort = scheme === 'https' ? 443 : 80;
    const hosts = new Set<string>();
    for (const name of names) {
      const literal = isIPv6(name) ? `[${name}]` : name;
      hosts.add(`${literal}:${bound.port}`.toLowerCase());
      // Browsers leave the scheme's default port out of Host and Origin.
      if (bound.port === defaultPort) hosts.add(literal.toLowerCase());
    }
    this.hosts = hosts;
  }

  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  /** An absent Origin is a non-browser client (which the token still gates); a present one must be this server. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    try {
      const url = new URL(origin);
      return url.protocol === `${this.scheme}:` && this.hostAllowed(url.host);
    } catch {
      return false;
    }
  }
}

export function remoteOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Answers 429 with Retry-After and true while the request's address must wait. */
export function refuseThrottled(throttle: FailureThrottle, req: IncomingMessage, res: ServerResponse): boolean {
  const wait = throttle.waitMs(remoteOf(req));
  if (wait <= 0) return false;
  const seconds = Math.ceil(wait / 1000);
  sendJson(
    res,
    429,
    failure('Too many wrong tokens from this address', 'throttled', `Try again in ${seconds} s with the right link.`),
    { 'retry-after': String(seconds) },
  );
  return true;
}

/** Refuses an upgrade (or any raw socket) with a bare status line, then closes it. */
export function refuseSocket(
  socket: Duplex,
  status: number,
  reason: string,
  headers: Record<string, string> = {},
): void {
  const lines = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${lines}Connection: close\r\nContent-Length: 0\r\n\r\n`);
  (socket as Socket).destroySoon?.();
}

/**
 * The request's JSON body, or undefined after answering: 413 and a closed connection for an oversized body (its
 * unread rest would otherwise be parsed as the next request on the keep-alive connection), 400 for bad JSON.
 */
export async function readBodyOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<{ body: unknown } | undefined> {
  try {
    return { body: await readJsonBody(req, limit) };
  } catch (error) {
    const tooLarge = error instanceof UserError && error.code === 'too-large';
    sendJson(
      res,
      tooLarge ? 413 : 400,
      { ok: false, error: toErrorShape(error) },
      tooLarge ? { connection: 'close' } : {},
    );
    return undefined;
  }
}
