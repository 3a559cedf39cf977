// Makes an engine worker process die with its parent even while its JS thread is stuck in synchronous code (a long
// ORT run, a runaway loop): a worker thread, which has an event loop of its own, polls the parent pid and SIGKILLs
// its own process when the parent is gone (the process is then re-parented, so getppid changes). Linux has
// PR_SET_PDEATHSIG for this, but Node exposes no prctl; 'disconnect' events need the blocked main thread.
import { Worker } from 'node:worker_threads';

/** How often the parent is looked for; a dead parent's worker is gone within about this long. */
export const PARENT_POLL_MS = 500;

// CommonJS source for an eval worker (no file to bundle or find). process.kill works from worker threads and ends
// the whole process, the blocked main thread included.
const SOURCE = `
const { workerData } = require('node:worker_threads');
const check = () => { if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL'); };
check();
setInterval(check, workerData.everyMs);
`;

/** Starts the watch for this process's parent (the one it has now); the thread never keeps the process alive. */
export function watchParent(everyMs = PARENT_POLL_MS): void {
  const ppid = process.ppid;
  if (ppid <= 1) process.kill(process.pid, 'SIGKILL'); // the parent died before we looked
  const worker = new Worker(SOURCE, { eval: true, workerData: { ppid, pid: process.pid, everyMs } });
  worker.unref();
}
