// The review share servers of this app, one per interface the organiser chose: each accepts only the tokens issued
// on it, and closes itself once none of them is live any more (revoked, replaced by a new link, or its round closed).
// Also which interfaces may be chosen: the machine's own addresses, never a wildcard.
import { createHash } from 'node:crypto';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { ShareInterface } from '../../../shared/contract/reviews';
import { UserError } from '../../../shared/errors';
import { isLoopback } from '../../platform/addresses';

export interface OpenShareServer {
  readonly port: number;
  readonly scheme: 'http' | 'https';
  readonly fingerprint256: string | null;
  close(): Promise<void>;
}

export interface ShareServerRequest {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** The workspace folder, where the HTTPS certificate is kept. */
  readonly workspaceDir: string;
}

/**
 * Starts a review-only server (host/review-share-server.ts startShareServer) that answers the tokens `resolve` knows.
 */
export type OpenShareServerFn = (
  request: ShareServerRequest,
  resolve: (token: string) => { roundId: string; userId: string } | undefined,
) => Promise<OpenShareServer>;

/** The round and reviewer of a live token hash (revoked, unknown or closed round: undefined). */
export type LiveShare = (tokenHash: string) => { roundId: string; userId: string } | undefined;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

interface Entry {
  readonly tls: boolean;
  readonly hashes: Set<string>;
  readonly server: Promise<OpenShareServer>;
}

export class ShareServers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly open: OpenShareServerFn,
    private readonly live: LiveShare,
  ) {}

  /**
   * The server on `request.host` (started if needed) that will accept `hash`; the hash is admitted before the server
   * starts, so that a prune running meanwhile does not close it as empty.
   */
  async serve(request: ShareServerRequest, hash: string): Promise<OpenShareServer> {
    let entry = this.entries.get(request.host);
    if (entry && entry.tls !== request.tls) {
      throw new UserError(`Links on ${request.host} are served over ${entry.tls ? 'HTTPS' : 'HTTP'} already`, {
        code: 'review-share',
        where: 'tls',
        hint: 'Revoke those links first, or share with the same setting.',
      });
    }
    if (!entry) {
      const hashes = new Set<string>();
      const server = this.open(request, (token) => {
        const h = tokenHash(token);
        return hashes.has(h) ? this.live(h) : undefined;
      });
      const created: Entry = { tls: request.tls, hashes, server };
      entry = created;
      this.entries.set(request.host, created);
      server.catch(() => {
        if (this.entries.get(request.host) === created) this.entries.delete(request.host);
      });
    }
    entry.hashes.add(hash);
    try {
      return await entry.server;
    } catch (error) {
      throw new UserError(
        `Cannot listen on ${request.host}: ${error instanceof Error ? error.message : String(error)}`,
        {
          code: 'review-share',
          where: 'host',
          hint: 'Choose another interface or port (the port may be in use).',
          cause: error,
        },
      );
    }
  }

  /** Forgets tokens that are no longer live and closes every server left with none. */
  async prune(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [host, entry] of this.entries) {
      for (const hash of entry.hashes) if (this.live(hash) === undefined) entry.hashes.delete(hash);
      if (entry.hashes.size === 0) {
        this.entries.delete(host);
        closing.push(
          entry.server.then(
            (s) => s.close(),
            () => undefined,
          ),
        );
      }
    }
    await Promise.all(closing);
  }

  /** Interfaces with a running server (tests, diagnostics). */
  get hosts(): string[] {
    return [...this.entries.keys()];
  }

  async dispose(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map(async (e) => (await e.server).close()));
  }
}

/** This machine's addresses, loopback first; link-local IPv6 (which needs a zone in every link) is left out. */
export function shareInterfaces(raw: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): ShareInterface[] {
  const list = Object.entries(raw).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter((i) => !(i.family === 'IPv6' && i.address.toLowerCase().startsWith('fe80:')))
      .map((i) => ({ address: i.address, name, family: i.family, loopback: i.internal || isLoopback(i.address) })),
  );
  return list.sort(
    (a, b) => Number(b.loopback) - Number(a.loopback) || (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1),
  );
}

/** The interface and scheme a share asks for, checked: an address of this machine; plain HTTP on loopback only. */
export function checkShareTarget(
  host: string,
  tls: boolean | undefined,
  interfaces: readonly ShareInterface[],
): { host: string; tls: boolean } {
  const known = interfaces.find((i) => i.address.toLowerCase() === host.toLowerCase());
  if (!known) {
    const offered = interfaces.map((i) => i.address).join(', ');
    throw new UserError(`${host} is not an address of this machine`, {
      code: 'review-share',
      where: 'host',
      hint: `Choose one of: ${offered}. Every interface at once (0.0.0.0) is not offered.`,
    });
  }
  const secure = tls ?? !known.loopback;
  if (!secure && !known.loopback) {
    throw new UserError('Plain HTTP is offered on loopback only', {
      code: 'review-share',
      where: 'tls',
      hint: 'Share over HTTPS on this interface: other machines on its network can reach it.',
    });
  }
  return { host: known.address, tls: secure };
}
