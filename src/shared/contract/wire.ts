// The wire format every transport carries (Electron IPC, HTTP + WebSocket): a call, its response, an event.
import { z } from 'zod';
import { ErrorShape } from '../errors';

export const CallRequest = z.object({
  service: z.string().min(1).max(64),
  method: z.string().min(1).max(64),
  arg: z.unknown(),
});
export type CallRequest = z.infer<typeof CallRequest>;

export const CallResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShape }),
]);
export type CallResponse = z.infer<typeof CallResponse>;

export const EventMessage = z.object({
  service: z.string(),
  event: z.string(),
  payload: z.unknown(),
});
export type EventMessage = z.infer<typeof EventMessage>;

/** Electron IPC channel names: exactly two, everything else is rejected. */
export const IPC_CHANNELS = { call: 'dovetail:call', event: 'dovetail:event' } as const;

/** Browser mode: POST {API_PREFIX}{service}/{method} with a JSON body; events on the WebSocket at EVENTS_PATH. */
export const HTTP_ROUTES = {
  apiPrefix: '/api/call/',
  events: '/api/events',
  tokenHeader: 'x-dovetail-token',
  tokenQuery: 'token',
} as const;

/** A transport delivers calls and events; it never interprets them. */
export interface Transport {
  call(request: CallRequest): Promise<CallResponse>;
  subscribe(service: string, event: string, listener: (payload: unknown) => void): () => void;
}
