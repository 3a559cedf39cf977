// The typed Api over the dispatcher in this process, for the headless commands: the same validation and services as
// the app's transports, with events delivered in-process.
import { contract, createClient, type Api, type Transport } from '../../shared/contract';
import type { Dispatcher } from '../api/dispatcher';
import type { Contract } from '../../shared/contract';

export function localClient(dispatcher: Dispatcher<Contract>): Api {
  const transport: Transport = {
    call: (request) => dispatcher.handle(request, { transport: 'cli' }),
    subscribe: (service, event, listener) =>
      dispatcher.subscribe((m) => {
        if (m.service === service && m.event === event) listener(m.payload);
      }),
  };
  return createClient(contract, transport);
}
