// The worker's side of the protocol, whatever carries it (child process, worker thread, Electron utilityProcess):
// validates requests, runs handlers concurrently (they interleave only at awaits), relays progress, honours cancel.
import type { z } from 'zod';
import { CancelledError, UserError, toErrorShape } from '../../../shared/errors';
import { HostMessage, invalidParams, type EngineMethod, type WorkerConfig, type WorkerMessage } from '../protocol';
import type { Handler, HandlerContext, HandlerTable } from './handler';

/** How the worker talks to its host, whichever process model carries it. */
export interface WorkerPort {
  post(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  exit(code: number): void;
}

interface Route {
  readonly params: z.ZodType;
  readonly handler: Handler<unknown, unknown, unknown>;
}

export type Routes = ReadonlyMap<string, Route>;

export function routes<T extends Record<string, EngineMethod>>(methods: T, handlers: HandlerTable<T>): Routes {
  return new Map(
    Object.keys(methods).map((name) => {
      const spec = methods[name] as EngineMethod;
      return [name, { params: spec.params, handler: handlers[name] as Handler<unknown, unknown, unknown> }];
    }),
  );
}

interface Job {
  cancelled: boolean;
  done: Promise<void>;
}

/** Exit code of a worker told to exit at once (128 + SIGKILL, as a shell reports a killed process). */
export const KILLED_EXIT_CODE = 137;

/** How long shutdown waits for cancelled handlers to reach a step boundary and release their sessions. */
const SHUTDOWN_GRACE_MS = 2_000;

export function serveEngine(port: WorkerPort, config: WorkerConfig, table: Routes): void {
  const jobs = new Map<number, Job>();

  const respond = (id: number, outcome: { result: unknown } | { error: unknown }): void => {
    if ('error' in outcome) {
      port.post({ type: 'response', id, ok: false, error: toErrorShape(outcome.error) });
      return;
    }
    try {
      port.post({ type: 'response', id, ok: true, result: outcome.result });
    } catch (error) {
      port.post({ type: 'response', id, ok: false, error: toErrorShape(error) }); // e.g. a result that cannot be cloned
    }
  };

  const start = (id: number, method: string, rawParams: unknown): void => {
    const route = table.get(method);
    if (!route) {
      respond(id, { error: new UserError(`Unknown engine method ${method}`, { code: 'unknown-method' }) });
      return;
    }
    const parsed = route.params.safeParse(rawParams);
    if (!parsed.success) {
      respond(id, { error: invalidParams(method, parsed.error) });
      return;
    }
    const job: Job = { cancelled: false, done: Promise.resolve() };
    const ctx: HandlerContext<unknown> = {
      config,
      progress: (data) => port.post({ type: 'progress', id, data }),
      checkpoint: async () => {
        await new Promise((resolve) => setImmediate(resolve)); // lets a queued cancel message be delivered
        if (job.cancelled) throw new CancelledError(`${method} was cancelled`);
      },
    };
    jobs.set(id, job);
    job.done = route
      .handler(parsed.data, ctx)
      .then(
        (result) => respond(id, { result }),
        (error: unknown) => respond(id, { error }),
      )
      .finally(() => jobs.delete(id));
  };

  const shutdown = async (): Promise<void> => {
    for (const job of jobs.values()) job.cancelled = true;
    const settled = Promise.allSettled([...jobs.values()].map((j) => j.done));
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
    port.exit(0);
  };

  port.onMessage((raw) => {
    const parsed = HostMessage.safeParse(raw);
    if (!parsed.success) {
      // No id to answer to: the host and worker are out of step, which only a packaging bug can cause.
      console.error('[engine-worker] ignored a malformed message from the host:', parsed.error.issues[0]?.message);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'request':
        if (jobs.has(message.id)) console.error(`[engine-worker] ignored a second request with id ${message.id}`);
        else start(message.id, message.method, message.params);
        break;
      case 'cancel': {
        const job = jobs.get(message.id);
        if (job) job.cancelled = true;
        break;
      }
      case 'shutdown':
        void shutdown();
        break;
      case 'exit':
        port.exit(KILLED_EXIT_CODE);
        break;
    }
  });
}
