// What the HTTP server of the endpoint (host/serving-server.ts) asks of the serving service: key checks, the model
// list, a completion with its tokens streamed, the record of a refused request, and the /metrics text.
import type { ServedModel, ServingLimits, ServedRequest } from '../../../shared/contract/serving';
import type { OpenAiUsage } from '../../../shared/openai-wire';
import type { Endpoint } from './prepare';

export interface Completion {
  /** The model id as asked. */
  readonly model: string;
  readonly text: string;
  readonly finishReason: 'stop' | 'length';
  readonly usage: OpenAiUsage;
}

export interface RefusedRequest {
  readonly endpoint: ServedRequest['endpoint'];
  readonly model: string | null;
  readonly stream: boolean;
  readonly status: number;
  readonly errorClass: string;
  readonly totalMs: number;
}

export interface ServingBackend {
  readonly limits: ServingLimits;
  /** Whether the bearer secret is a live API key of the workspace served. */
  authenticate(secret: string | undefined): boolean;
  models(): Promise<ServedModel[]>;
  /** Generates (or throws an EndpointError); `onDelta` gets the text as it becomes final. Records the request. */
  complete(
    endpoint: Endpoint,
    body: unknown,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<Completion>;
  /** Records a request refused before it reached `complete` (key, size, route). */
  refused(request: RefusedRequest): void;
  metrics(): Promise<string>;
}

export interface ServerRequest {
  readonly host: string;
  readonly port: number;
}

export interface StartedServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the endpoint's HTTP server (host/serving-server.ts), wired in compose.ts. */
export type OpenServingServer = (request: ServerRequest, backend: ServingBackend) => Promise<StartedServer>;
