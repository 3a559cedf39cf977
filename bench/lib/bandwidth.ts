// The memory-bandwidth bound, measured in this process: `threads` worker threads each scan their own buffer (much
// larger than the caches) with Buffer.indexOf for a byte that is absent (memchr: a vectorised, read-only stream, as
// weight streaming is). Workers start together on a SharedArrayBuffer barrier; GB/s = all bytes / slowest worker.
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, passes, barrier } = workerData;
const buf = Buffer.alloc(bytes, 0); // zero-filled: every page is touched before timing
buf.indexOf(1); // warm-up pass
const flag = new Int32Array(barrier);
Atomics.add(flag, 0, 1);
Atomics.wait(flag, 1, 0);
const t0 = performance.now();
let found = 0;
for (let i = 0; i < passes; i++) found += buf.indexOf(1);
parentPort.postMessage({ ms: performance.now() - t0, found });
`;

export interface Bandwidth {
  gbPerS: number;
  threads: number;
}

export async function measureBandwidth(threads: number, mibPerThread = 256, passes = 8): Promise<Bandwidth> {
  const barrier = new SharedArrayBuffer(8);
  const flag = new Int32Array(barrier);
  const bytes = mibPerThread * 1024 * 1024;
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { bytes, passes, barrier } }),
  );
  const done = workers.map(
    (w) =>
      new Promise<number>((resolve, reject) => {
        w.once('message', (m: { ms: number }) => resolve(m.ms));
        w.once('error', reject);
      }),
  );
  while (Atomics.load(flag, 0) < threads) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  try {
    const ms = await Promise.all(done);
    return { gbPerS: (threads * bytes * passes) / (Math.max(...ms) / 1000) / 1e9, threads };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
