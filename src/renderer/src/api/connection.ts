// The link between this window and Dovetail's services, as the UI sees it: up, connecting or down.
// Desktop (IPC) is always up; browser mode reports its event socket. `epoch` grows on each reconnect so views refetch.

export type ConnectionStatus = 'connecting' | 'open' | 'down';

export interface ConnectionSnapshot {
  readonly status: ConnectionStatus;
  /** Increments every time the link (re)opens; data loaded before a reconnect may be stale. */
  readonly epoch: number;
  /** When down: milliseconds until the next attempt. */
  readonly retryInMs: number | null;
}

export interface Connection {
  get(): ConnectionSnapshot;
  subscribe(listener: () => void): () => void;
}

const ALWAYS_OPEN: ConnectionSnapshot = Object.freeze({ status: 'open', epoch: 0, retryInMs: null });

export const alwaysOpen: Connection = {
  get: () => ALWAYS_OPEN,
  subscribe: () => () => undefined,
};

/** A small observable holder for the snapshot; replaces the object on change so React can compare by identity. */
export class ConnectionState implements Connection {
  private snapshot: ConnectionSnapshot = { status: 'connecting', epoch: 0, retryInMs: null };
  private readonly listeners = new Set<() => void>();

  get(): ConnectionSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  opened(): void {
    this.set({ status: 'open', epoch: this.snapshot.epoch + 1, retryInMs: null });
  }

  lost(retryInMs: number): void {
    this.set({ status: 'down', epoch: this.snapshot.epoch, retryInMs });
  }

  connecting(): void {
    if (this.snapshot.status === 'connecting') return;
    this.set({ status: 'connecting', epoch: this.snapshot.epoch, retryInMs: null });
  }

  private set(next: ConnectionSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
