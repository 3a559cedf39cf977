// Entry of the engine worker: the process/thread that owns onnxruntime-node (ORT's run blocks its thread). Runs as
// a child process or worker thread (plain Node) or an Electron utilityProcess; never imports electron.
import { parentPort } from 'node:worker_threads';
import { UserError, toErrorShape } from '../../shared/errors';
import {
  PROTOCOL_VERSION,
  WORKER_CONFIG_FLAG,
  WorkerConfig,
  engineMethods,
  engineTestMethods,
} from '../engine/protocol';
import type { HandlerTable } from '../engine/worker/handler';
import { routes, serveEngine, type WorkerPort } from '../engine/worker/serve';
import { watchParent } from './parent-watchdog';

/** Electron's process.parentPort, typed here so this file needs no electron import. */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function connect(): WorkerPort {
  const exit = (code: number): void => process.exit(code); // in a worker thread this ends the thread only
  if (parentPort) {
    const port = parentPort;
    return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l), exit };
  }
  // A process of its own from here on (a worker thread dies with its process): it must not outlive the app.
  watchParent();
  const electronPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (e) => l(e.data)),
      exit,
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    process.on('disconnect', () => process.exit(0)); // the host is gone: never linger as an orphan holding memory
    return { post: (m) => void send(m), onMessage: (l) => process.on('message', l), exit };
  }
  throw new Error(
    'engine-worker must be started by the engine host (child process, worker thread or Electron utility process)',
  );
}

function readConfig(): WorkerConfig {
  const arg = process.argv.find((a) => a.startsWith(WORKER_CONFIG_FLAG));
  if (!arg) throw new Error(`engine-worker started without ${WORKER_CONFIG_FLAG}`);
  return WorkerConfig.parse(JSON.parse(arg.slice(WORKER_CONFIG_FLAG.length)));
}

/** Reachable only when the host was built with testHooks: lets tests make the worker die the ways a real one can. */
const testHandlers: HandlerTable<typeof engineTestMethods> = {
  crash: async ({ how }) => {
    if (how === 'exit') process.exit(3);
    if (how === 'spin') for (;;); // stuck in synchronous code: only the parent watchdog can end it
    setImmediate(() => {
      throw new Error('Crash requested by a test');
    });
    return new Promise<never>(() => {});
  },
};

/** Loaded dynamically so that a broken onnxruntime-node install reaches the host as a clear error, not a crash. */
async function loadEngine() {
  try {
    const [{ handlers }, runtime] = await Promise.all([
      import('../engine/worker/handlers'),
      import('../engine/runtime'),
    ]);
    return { handlers, runtime };
  } catch (error) {
    throw new UserError(
      `The engine could not load onnxruntime-node: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: 'engine-unavailable',
        hint: 'Reinstall Dovetail. From source: run npm ci (see the README for the ONNX Runtime install setting).',
        cause: error,
      },
    );
  }
}

async function main(): Promise<void> {
  const port = connect();
  try {
    const config = readConfig();
    const { handlers, runtime } = await loadEngine();
    const { executionTarget, listProviders, ortVersion } = runtime;
    // Probes the requested provider before hello, so the first status already says whether sessions fall back.
    const outcome = await executionTarget.configure(config.provider ?? 'cpu');
    const table = new Map([
      ...routes(engineMethods, handlers),
      ...(config.testHooks ? routes(engineTestMethods, testHandlers) : []),
    ]);
    serveEngine(port, config, table);
    port.post({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      ortVersion: ortVersion(),
      provider: outcome.used,
      providers: listProviders(),
      pid: process.pid,
      requestedProvider: outcome.requested,
      fallbackReason: outcome.fallbackReason,
    });
    executionTarget.onChange((o) =>
      port.post({
        type: 'provider',
        requestedProvider: o.requested,
        provider: o.used,
        fallbackReason: o.fallbackReason,
      }),
    );
  } catch (error) {
    port.post({ type: 'fatal', error: toErrorShape(error) });
    port.exit(1);
  }
}

void main();
