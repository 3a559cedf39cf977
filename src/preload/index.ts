// Exposes the typed API as `window.api`, generated from the contract: one function per method and event, and
// nothing else (no ipcRenderer, no free-form channels). No logic here: validation happens in main.
import { contextBridge, ipcRenderer } from 'electron';
import { contract, IPC_CHANNELS, type Bridge, type CallResponse, type EventMessage } from '../shared/contract';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_CHANNELS.event, (_event, message: EventMessage) => {
  for (const listener of listeners.get(`${message.service}.${message.event}`) ?? []) listener(message.payload);
});

const bridge: Record<string, Record<string, unknown>> = {};
for (const [service, spec] of Object.entries(contract)) {
  const entry: Record<string, unknown> = {};
  for (const method of Object.keys(spec.methods)) {
    entry[method] = (arg: unknown): Promise<CallResponse> =>
      ipcRenderer.invoke(IPC_CHANNELS.call, { service, method, arg });
  }
  for (const event of Object.keys(spec.events)) {
    entry[event] = (listener: Listener) => {
      const key = `${service}.${event}`;
      const set = listeners.get(key) ?? new Set<Listener>();
      listeners.set(key, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  bridge[service] = entry;
}

contextBridge.exposeInMainWorld('api', bridge as unknown as Bridge);
