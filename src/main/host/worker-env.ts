// The engine worker's environment. On Linux it gets glibc malloc tunables: training sessions run without ORT's arena
// (its blocks broke the memory target, session.ts), so every large tensor is a fresh malloc, and glibc serves those
// from new mmap'd pages that fault in again on every step. Allocating from the heap and keeping up to 1 GiB of freed
// heap for the next step doubled LoRA training speed on the 2-core machine (decision 0008).

/** Each tunable is set only when the user's own GLIBC_TUNABLES does not already set it. */
export const WORKER_MALLOC_TUNABLES: Readonly<Record<string, string>> = {
  /** No mmap'd chunks: large blocks come from the heap, whose pages stay mapped when freed. */
  'glibc.malloc.mmap_max': '0',
  /** Freed memory at the top of the heap is given back to the OS only beyond 1 GiB (bounds what a worker keeps). */
  'glibc.malloc.trim_threshold': String(1 << 30),
};

/** The environment to start the engine worker with: `base` plus the malloc tunables on Linux. */
export function engineWorkerEnv(
  base: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv {
  if (platform !== 'linux') return { ...base };
  const own = (base['GLIBC_TUNABLES'] ?? '').split(':').filter((entry) => entry.includes('='));
  const named = new Set(own.map((entry) => entry.slice(0, entry.indexOf('='))));
  const added = Object.entries(WORKER_MALLOC_TUNABLES)
    .filter(([name]) => !named.has(name))
    .map(([name, value]) => `${name}=${value}`);
  return { ...base, GLIBC_TUNABLES: [...own, ...added].join(':') };
}
