// The IPC binding under plain Node: Electron's ipcMain is replaced by a recorder of the registered handler (the
// binding's own code and the real dispatcher run unchanged).
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineService, method } from '../../shared/contract/define';
import { IPC_CHANNELS } from '../../shared/contract/wire';
import { Dispatcher } from '../api/dispatcher';
import { bindIpc, type IpcHandlerHost } from './ipc-binding';

const notes = defineService(
  'notes',
  { add: method(z.object({ text: z.string() }).strict(), z.number()) },
  { onAdded: z.number() },
);

function setup() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, arg: unknown) => unknown>();
  const ipc: IpcHandlerHost = {
    handle: (channel, listener) => void handlers.set(channel, listener as never),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const dispatcher: Dispatcher<{ notes: typeof notes }> = new Dispatcher(
    { notes },
    {
      notes: {
        async add({ text }) {
          dispatcher.sink('notes').emit('onAdded', text.length);
          return text.length;
        },
      },
    },
  );
  const sent: unknown[] = [];
  const window = {
    isDestroyed: () => false,
    send: (channel: string, message: unknown) => void sent.push([channel, message]),
  };
  const trusted = { trusted: true } as unknown as IpcMainInvokeEvent;
  const stranger = { trusted: false } as unknown as IpcMainInvokeEvent;
  const unbind = bindIpc(
    ipc,
    dispatcher as never,
    (event) => (event as unknown as { trusted: boolean }).trusted,
    () => [window],
  );
  const invoke = (event: IpcMainInvokeEvent, arg: unknown) => handlers.get(IPC_CHANNELS.call)?.(event, arg);
  return { handlers, invoke, trusted, stranger, sent, unbind };
}

describe('IPC binding', () => {
  it('dispatches calls from our window and forwards events to it', async () => {
    const { invoke, trusted, sent } = setup();
    expect(await invoke(trusted, { service: 'notes', method: 'add', arg: { text: 'four' } })).toEqual({
      ok: true,
      result: 4,
    });
    expect(sent).toEqual([[IPC_CHANNELS.event, { service: 'notes', event: 'onAdded', payload: 4 }]]);
  });

  it('refuses unknown senders before looking at the call', async () => {
    const { invoke, stranger, sent } = setup();
    expect(await invoke(stranger, { service: 'notes', method: 'add', arg: { text: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(sent).toEqual([]);
  });

  it('answers malformed arguments and unknown methods with errors, not crashes', async () => {
    const { invoke, trusted } = setup();
    expect(await invoke(trusted, { service: 'notes', method: 'add', arg: { text: 7 } })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await invoke(trusted, { service: 'notes', method: 'drop', arg: {} })).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await invoke(trusted, 'garbage')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('registers exactly one channel and removes it when unbound', () => {
    const { handlers, unbind } = setup();
    expect([...handlers.keys()]).toEqual([IPC_CHANNELS.call]);
    unbind();
    expect(handlers.size).toBe(0);
  });
});
