// The renderer's only door to Dovetail's services, and the only user of `window.api`: picks Electron IPC when the
// preload bridge exists, browser mode (HTTP + WebSocket) otherwise, and hands the rest of the app a typed `Api`.
import { bridgeTransport, contract, createClient, type Api, type Bridge } from '../../../shared/contract';
import { alwaysOpen, type Connection } from './connection';
import { HttpTransport } from './http-transport';
import { takeToken } from './token';

export interface ApiConnection {
  readonly api: Api;
  readonly connection: Connection;
  dispose(): void;
}

export function connectApi(): ApiConnection {
  // Read through a narrow cast so that no other module sees a global `window.api` type.
  const bridge = (window as unknown as { api?: Bridge }).api;
  if (bridge) {
    return { api: createClient(contract, bridgeTransport(bridge)), connection: alwaysOpen, dispose: () => undefined };
  }
  const token = takeToken(window.location, window.history, window.sessionStorage);
  const transport = new HttpTransport({ origin: window.location, token });
  return { api: createClient(contract, transport), connection: transport.connection, dispose: () => transport.dispose() };
}

export type { Api } from '../../../shared/contract';
export type { Connection, ConnectionSnapshot, ConnectionStatus } from './connection';
export { ApiProvider, useApi, useConnection } from './context';
export { useLive, useLoad, type Loaded } from './hooks';
