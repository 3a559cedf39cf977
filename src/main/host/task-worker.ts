// A worker thread that runs one kind of task off the main thread (scoring, large database writes), request by
// request: the host side sends a task and gets its answer or its error (UserError, BugError, CancelledError keep
// their kind across the thread). Tasks are our own bounded work, so there is no watchdog; a worker that dies fails
// the tasks it held, and the next task starts a fresh one.
import { parentPort, Worker } from 'node:worker_threads';
import { BugError, CancelledError, fromErrorShape, toErrorShape, type ErrorShape } from '../../shared/errors';

type Answer =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: ErrorShape };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class TaskWorker<Task> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  /** name: what the worker does, for messages ("scoring"). */
  constructor(
    private readonly script: string,
    private readonly name: string,
  ) {}

  run(task: Task): Promise<unknown> {
    if (this.disposed) return Promise.reject(new CancelledError(`The ${this.name} worker is shut down`));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // while a task is out, the process waits for its answer
      worker.postMessage({ id, task });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.failAll(new CancelledError(`The ${this.name} worker is shut down`));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { stdout: false, stderr: false });
    worker.on('message', (answer: Answer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref(); // an idle worker never keeps the process alive
      if (answer.ok) p.resolve(answer.value);
      else p.reject(fromErrorShape(answer.error));
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new BugError(`The ${this.name} worker stopped: ${error.message}`));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new BugError(`The ${this.name} worker exited`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/** The worker side: answers each task with `handle`'s value, or its error as a wire shape. */
export function serveTasks<Task>(handle: (task: Task) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('A task worker must be started as a worker thread by its host');
  port.on('message', ({ id, task }: { id: number; task: Task }) => {
    let answer: Answer;
    try {
      answer = { id, ok: true, value: handle(task) };
    } catch (error) {
      answer = { id, ok: false, error: toErrorShape(error) };
    }
    port.postMessage(answer);
  });
}
