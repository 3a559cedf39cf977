// Browser-mode transport: calls are POST {apiPrefix}{service}/{method} with the token header, answered by a
// CallResponse envelope; events arrive on one WebSocket, which reconnects with backoff and drives the Connection.
import { CallResponse, EventMessage, HTTP_ROUTES, type CallRequest, type Transport } from '../../../shared/contract';
import type { ErrorShape } from '../../../shared/errors';
import { ConnectionState, type Connection } from './connection';

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 8000;

type Listener = (payload: unknown) => void;

export interface HttpTransportOptions {
  /** The page's location: calls and the socket go to the same origin. */
  origin: Pick<Location, 'origin' | 'protocol' | 'host'>;
  token: string | null;
}

export class HttpTransport implements Transport {
  readonly connection: Connection;
  private readonly state = new ConnectionState();
  private readonly listeners = new Map<string, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private disposed = false;

  constructor(private readonly options: HttpTransportOptions) {
    this.connection = this.state;
    this.connect();
  }

  call(request: CallRequest): Promise<CallResponse> {
    return httpCall(request, this.options.token);
  }

  subscribe(service: string, event: string, listener: Listener): () => void {
    const key = `${service}.${event}`;
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.listeners.clear();
  }

  private connect(): void {
    if (this.disposed) return;
    this.state.connecting();
    const scheme = this.options.origin.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = this.options.token ? `?${HTTP_ROUTES.tokenQuery}=${encodeURIComponent(this.options.token)}` : '';
    const socket = new WebSocket(`${scheme}//${this.options.origin.host}${HTTP_ROUTES.events}${query}`);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.state.opened();
    };
    socket.onmessage = (message) => this.deliver(message.data);
    // 'error' is always followed by 'close', so reconnecting is handled in one place.
    socket.onclose = () => {
      if (this.socket !== socket || this.disposed) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.failures += 1;
    this.state.lost(delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.error('Ignored an event that is not JSON');
      return;
    }
    const parsed = EventMessage.safeParse(json);
    if (!parsed.success) {
      console.error('Ignored a malformed event', parsed.error.issues);
      return;
    }
    const { service, event, payload } = parsed.data;
    for (const listener of this.listeners.get(`${service}.${event}`) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        // One broken view must not stop the others from hearing the event.
        reportError(error);
      }
    }
  }
}

/**
 * One call as POST {apiPrefix}{service}/{method} with the token header; network and format failures become envelopes.
 */
export async function httpCall({ service, method, arg }: CallRequest, token: string | null): Promise<CallResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers[HTTP_ROUTES.tokenHeader] = token;
  const url = `${HTTP_ROUTES.apiPrefix}${encodeURIComponent(service)}/${encodeURIComponent(method)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(arg ?? {}) });
  } catch {
    return failure({
      kind: 'user',
      code: 'connection-lost',
      message: 'Dovetail is not reachable.',
      hint: 'Check that Dovetail is still running, then try again.',
    });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return failure({
      kind: 'bug',
      message: `The server answered ${service}.${method} with HTTP ${response.status} and no readable response.`,
    });
  }
  const parsed = CallResponse.safeParse(body);
  if (!parsed.success) {
    return failure({
      kind: 'bug',
      message: `The server answered ${service}.${method} with an unexpected response (HTTP ${response.status}).`,
    });
  }
  return parsed.data;
}

function failure(error: ErrorShape): CallResponse {
  return { ok: false, error };
}
