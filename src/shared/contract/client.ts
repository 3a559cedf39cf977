// Builds the typed API object from the contract over any transport; errors come back as typed exceptions.
// The renderer uses this for both Electron IPC and browser mode, so it cannot tell which one it runs on.
import { fromErrorShape } from '../errors';
import type { ServiceClient, ServiceSpec } from './define';
import type { Transport } from './wire';

export type ApiOf<C extends Record<string, ServiceSpec>> = { readonly [K in keyof C]: ServiceClient<C[K]> };

export function createClient<C extends Record<string, ServiceSpec>>(contract: C, transport: Transport): ApiOf<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [service, spec] of Object.entries(contract)) {
    const client: Record<string, unknown> = {};
    for (const method of Object.keys(spec.methods)) {
      client[method] = async (arg: unknown) => {
        const response = await transport.call({ service, method, arg: arg === undefined ? {} : arg });
        if (!response.ok) throw fromErrorShape(response.error);
        return response.result;
      };
    }
    for (const event of Object.keys(spec.events)) {
      client[event] = (listener: (payload: unknown) => void) => transport.subscribe(service, event, listener);
    }
    api[service] = Object.freeze(client);
  }
  return Object.freeze(api) as ApiOf<C>;
}
