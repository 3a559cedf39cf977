// Portal mode: the renderer opened from a review share link (http://<host>:<port>/#round=<id>&token=<token>) on
// another machine. The link's fragment, which browsers never send to a server, carries the round and the reviewer's
// token; it is taken once, kept for the tab (reloads work) and removed from the address bar. The client it builds
// sends the token in the token header and calls only the reviewer methods: no events, no other service.
import {
  REVIEWER_METHODS,
  contract,
  createClient,
  type CallRequest,
  type CallResponse,
  type Transport,
} from '../../../shared/contract';
import { alwaysOpen } from './connection';
import { httpCall } from './http-transport';
import type { ApiConnection } from './index';

export interface PortalLink {
  readonly roundId: string;
  readonly token: string;
}

const STORAGE_KEY = 'dovetail.portal';

/** The fragment of a share link (the organiser's screen writes it, this file reads it). */
export function portalFragment(link: PortalLink): string {
  return `#${new URLSearchParams({ round: link.roundId, token: link.token }).toString()}`;
}

/** The portal link this page was opened with (or kept from it), or null: the normal app. */
export function takePortal(location: Location, history: History, storage: Storage): PortalLink | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const roundId = params.get('round');
  const token = params.get('token');
  if (roundId && token) {
    const link = { roundId, token };
    storage.setItem(STORAGE_KEY, JSON.stringify(link));
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return link;
  }
  const kept = storage.getItem(STORAGE_KEY);
  if (kept === null) return null;
  try {
    const parsed = JSON.parse(kept) as Partial<PortalLink>;
    return typeof parsed.roundId === 'string' && typeof parsed.token === 'string'
      ? { roundId: parsed.roundId, token: parsed.token }
      : null;
  } catch {
    return null;
  }
}

/**
 * Calls the share server as the link's reviewer; anything but a reviewer method is refused here, before the network.
 */
export class PortalTransport implements Transport {
  constructor(
    private readonly token: string,
    private readonly send: (request: CallRequest, token: string) => Promise<CallResponse> = httpCall,
  ) {}

  call(request: CallRequest): Promise<CallResponse> {
    if (request.service !== 'reviews' || !(REVIEWER_METHODS as readonly string[]).includes(request.method)) {
      return Promise.resolve({
        ok: false,
        error: {
          kind: 'user',
          code: 'portal-only-review',
          message: `${request.service}.${request.method} is not available in a shared review`,
          hint: 'Open Dovetail itself for everything else.',
        },
      });
    }
    return this.send(request, this.token);
  }

  /** The share server has no event socket: nothing is ever delivered. */
  subscribe(): () => void {
    return () => undefined;
  }
}

export function connectPortal(link: PortalLink): ApiConnection {
  return {
    api: createClient(contract, new PortalTransport(link.token)),
    connection: alwaysOpen,
    dispose: () => undefined,
  };
}
