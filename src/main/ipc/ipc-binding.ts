// Electron IPC binding of the contract: one invoke channel for calls, one send channel for events.
// Every call's sender is checked (our window, our origin) before the dispatcher validates its arguments.
// Electron's ipcMain is passed in (type-only import) so the binding runs under plain Node in tests.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ServiceSpec } from '../../shared/contract/define';
import { IPC_CHANNELS, type CallResponse } from '../../shared/contract/wire';
import { toErrorShape, UserError } from '../../shared/errors';
import type { Dispatcher } from '../api/dispatcher';

export type IpcHandlerHost = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type EventTarget = Pick<WebContents, 'isDestroyed' | 'send'>;

export function bindIpc(
  ipc: IpcHandlerHost,
  dispatcher: Dispatcher<Record<string, ServiceSpec>>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  targets: () => EventTarget[],
): () => void {
  ipc.handle(IPC_CHANNELS.call, async (event, request: unknown): Promise<CallResponse> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: toErrorShape(new UserError('Call refused: unknown sender', { code: 'forbidden' })) };
    }
    return dispatcher.handle(request, { transport: 'ipc' });
  });
  const unsubscribe = dispatcher.subscribe((message) => {
    for (const contents of targets()) if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, message);
  });
  return () => {
    unsubscribe();
    ipc.removeHandler(IPC_CHANNELS.call);
  };
}
