// What the Electron preload exposes as `window.api`: one function per contract method and event, generated from
// the contract (no free-form channels). Methods resolve to the wire envelope because contextBridge cannot carry
// typed errors; the renderer's api/ module turns envelopes back into results and typed errors via createClient.
import type { ServiceSpec, Unsubscribe } from './define';
import type { CallResponse, Transport } from './wire';

export type BridgeOf<C extends Record<string, ServiceSpec>> = {
  readonly [S in keyof C]: { readonly [M in keyof C[S]['methods']]: (arg: unknown) => Promise<CallResponse> } & {
    readonly [E in keyof C[S]['events']]: (listener: (payload: unknown) => void) => Unsubscribe;
  };
};

type LooseBridge = Record<string, Record<string, ((arg: unknown) => unknown) | undefined> | undefined>;

/** Adapts the preload bridge to a Transport; unknown names fail like the server's unknown-method answer. */
export function bridgeTransport<C extends Record<string, ServiceSpec>>(bridge: BridgeOf<C>): Transport {
  const loose = bridge as unknown as LooseBridge;
  return {
    async call({ service, method, arg }) {
      const fn = loose[service]?.[method];
      if (typeof fn !== 'function') {
        return {
          ok: false,
          error: { kind: 'user', code: 'unknown-method', message: `Unknown method ${service}.${method}` },
        };
      }
      return (await fn(arg)) as CallResponse;
    },
    subscribe(service, event, listener) {
      const fn = loose[service]?.[event];
      if (typeof fn !== 'function') throw new Error(`Unknown event ${service}.${event}`);
      return fn(listener as (arg: unknown) => unknown) as Unsubscribe;
    },
  };
}
