// React access to the typed Api and the connection state; components never learn which transport is underneath.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Api } from '../../../shared/contract';
import type { ApiConnection } from './index';
import type { ConnectionSnapshot } from './connection';

const ApiContext = createContext<ApiConnection | null>(null);

export function ApiProvider({ value, children }: { value: ApiConnection; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiConnection(): ApiConnection {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi must be used inside <ApiProvider>');
  return value;
}

export function useApi(): Api {
  return useApiConnection().api;
}

export function useConnection(): ConnectionSnapshot {
  const { connection } = useApiConnection();
  return useSyncExternalStore(
    (listener) => connection.subscribe(listener),
    () => connection.get(),
  );
}
