// The renderer's only door to Dovetail's services, and the only user of `window.api`: picks Electron IPC when the
// preload bridge exists, browser mode (HTTP + WebSocket) otherwise, or portal mode (a review share link, portal.ts),
// and hands the rest of the app a typed `Api`.
import { bridgeTransport, contract, createClient, type Api, type Bridge } from '../../../shared/contract';
import { alwaysOpen, type Connection } from './connection';
import { HttpTransport } from './http-transport';
import { connectPortal, takePortal } from './portal';
import { takeToken } from './token';

export interface ApiConnection {
  readonly api: Api;
  readonly connection: Connection;
  dispose(): void;
}

/** What this page is: the app, or portal mode for one review round. Decided before anything connects. */
export type RendererEntry =
  | { readonly mode: 'app'; readonly connection: ApiConnection }
  | { readonly mode: 'portal'; readonly connection: ApiConnection; readonly roundId: string };

export function connectEntry(): RendererEntry {
  const bridge = (window as unknown as { api?: Bridge }).api;
  // The portal must not open the app's event socket or send a browser-mode token: it is chosen first.
  const portal = bridge ? null : takePortal(window.location, window.history, window.sessionStorage);
  if (portal) return { mode: 'portal', connection: connectPortal(portal), roundId: portal.roundId };
  return { mode: 'app', connection: connectApi() };
}

export function connectApi(): ApiConnection {
  // Read through a narrow cast so that no other module sees a global `window.api` type.
  const bridge = (window as unknown as { api?: Bridge }).api;
  if (bridge) {
    return { api: createClient(contract, bridgeTransport(bridge)), connection: alwaysOpen, dispose: () => undefined };
  }
  const token = takeToken(window.location, window.history, window.sessionStorage);
  const transport = new HttpTransport({ origin: window.location, token });
  return {
    api: createClient(contract, transport),
    connection: transport.connection,
    dispose: () => transport.dispose(),
  };
}

export type { Api } from '../../../shared/contract';
export type { Connection, ConnectionSnapshot, ConnectionStatus } from './connection';
export { ApiProvider, useApi, useConnection } from './context';
export { useLive, useLoad, type Loaded } from './hooks';
export { portalFragment, type PortalLink } from './portal';
