// Loading data from the Api in components: one load per mount, again on reload() or after a reconnect
// (events may have been missed while the link was down), and optionally kept fresh by a contract event.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { Api } from '../../../shared/contract';
import { useApi, useConnection } from './context';
import { Freshness } from './freshness';

export interface Loaded<T> {
  /** The last value loaded; kept while a reload is in flight so views do not flicker. */
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
  /** Replaces the value, e.g. with the result of the call that changed it. */
  set(value: T): void;
}

export function useLoad<T>(load: (api: Api) => Promise<T>, deps: DependencyList = []): Loaded<T> {
  return useLive(load, null, deps);
}

export function useLive<T>(
  load: (api: Api) => Promise<T>,
  subscribe: ((api: Api, onValue: (value: T) => void) => () => void) | null,
  deps: DependencyList = [],
): Loaded<T> {
  const api = useApi();
  const { epoch } = useConnection();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const subscribeRef = useRef(subscribe);
  subscribeRef.current = subscribe;
  const freshness = useRef(new Freshness());

  useEffect(() => {
    let current = true;
    setLoading(true);
    const mark = freshness.current.mark();
    loadRef.current(api).then(
      (value) => {
        if (!current) return;
        // An event or a call's result that arrived while the load was in flight is newer than what it read.
        if (freshness.current.loadIsCurrent(mark)) {
          setData(value);
          setError(undefined);
        }
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [api, epoch, version, ...deps]);

  const hasSubscription = subscribe !== null;
  useEffect(() => {
    const listen = subscribeRef.current;
    if (!listen) return;
    return listen(api, (value) => {
      freshness.current.pushed();
      setData(value);
      setError(undefined);
    });
  }, [api, hasSubscription]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const set = useCallback((value: T) => {
    freshness.current.pushed();
    setData(value);
    setError(undefined);
  }, []);
  return { data, error, loading, reload, set };
}
