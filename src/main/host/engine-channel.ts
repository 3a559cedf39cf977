// The pipe between the engine host and its worker, whatever carries it: a child process or a worker thread (plain
// Node, here) or an Electron utilityProcess (src/main/ipc/utility-engine-channel.ts). Messages are cloned, not shared.
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { HostMessage } from '../engine/protocol';
import { engineWorkerEnv } from './worker-env';

export interface ChannelExit {
  /** Exit code when the worker exited by itself or was told to. */
  readonly code: number | null;
  /** What ended it, when the transport knows: an uncaught exception, a signal, the last error line on stderr. */
  readonly error?: string;
}

export interface EngineChannel {
  postMessage(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the worker is gone for good. */
  onExit(listener: (exit: ChannelExit) => void): void;
  /** Ends the worker, even in the middle of an ORT run where the transport allows it. */
  kill(): void;
}

/** Starts the worker script with these argv entries. */
export type SpawnEngine = (workerScript: string, args: readonly string[]) => EngineChannel;

/**
 * The worker as a child Node process (plain Node: browser mode, CLI, tests). Like Electron's utilityProcess, a crash
 * or an out-of-memory in ORT cannot take the main process with it, a kill is immediate, and a restart returns all
 * of ORT's memory to the OS.
 */
export const spawnChildProcess: SpawnEngine = (workerScript, args) => {
  const child = fork(workerScript, [...args], {
    serialization: 'advanced', // structured clone, as worker_threads and utilityProcess use: typed arrays survive
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    execArgv: [],
    env: engineWorkerEnv(process.env),
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
  });
  let spawnError: string | undefined;
  child.on('error', (e) => (spawnError = e.message));
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    onExit: (listener) =>
      child.once('close', (code, signal) => {
        const error =
          spawnError ?? (signal ? `killed by ${signal}` : code !== 0 ? lastErrorLine(stderrTail) : undefined);
        listener(error === undefined ? { code } : { code, error });
      }),
    kill: () => void child.kill('SIGKILL'),
  };
};

/**
 * The worker as a worker_threads Worker in this process: cheapest to start, but it shares the process, so an ORT
 * abort or out-of-memory ends the app too. Worker.terminate() during an ORT run aborts the whole process ("terminate
 * called after throwing an instance of 'Napi::Error'", verified with onnxruntime-node 1.30), so kill() asks the worker
 * to exit after its current run and terminates it only if it has not gone within FORCE_TERMINATE_MS.
 */
export const spawnWorkerThread: SpawnEngine = (workerScript, args) => {
  const worker = new Worker(workerScript, { argv: [...args] });
  let error: string | undefined;
  let killed = false;
  worker.on('error', (e: unknown) => {
    error = e instanceof Error ? e.message : String(e);
  });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) =>
      worker.once('exit', (code) => {
        const reason = error ?? (killed ? 'killed' : undefined);
        listener(reason === undefined ? { code } : { code, error: reason });
      }),
    kill: () => {
      if (killed) return;
      killed = true;
      worker.postMessage({ type: 'exit' } satisfies HostMessage);
      setTimeout(() => void worker.terminate(), FORCE_TERMINATE_MS).unref();
    },
  };
};

/** A run longer than this is stuck; terminating it risks the abort described above, keeping it risks nothing less. */
const FORCE_TERMINATE_MS = 30_000;

/** The most telling line of a dead process's stderr: its last error, or undefined. */
function lastErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  const line = lines
    .reverse()
    .find((l) => /Error\b|Error \[|^terminate called|^what\(\)|Aborted|FATAL/.test(l) && !l.startsWith('at '));
  return line?.slice(0, 300);
}
