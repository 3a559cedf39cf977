// Runs a benchmark in the engine worker's environment (host/worker-env.ts: glibc malloc tunables on Linux), as the
// app runs the engine, by starting it again as a child with that environment; reference runs (PyTorch) get the
// environment the benchmark was started with.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { engineWorkerEnv } from '../../src/main/host/worker-env';

/** Set in the re-started child: the GLIBC_TUNABLES the benchmark was started with ('' = none). */
const ORIGINAL = 'DOVETAIL_BENCH_ORIGINAL_TUNABLES';

/**
 * In the first process: runs `bench/run.mjs <entry> <argv>` again with the worker's environment and returns its exit
 * code. In that child (or when the environment would not change): null, and the caller runs the benchmark.
 */
export function rerunInWorkerEnv(entry: string, argv: readonly string[]): number | null {
  if (process.env[ORIGINAL] !== undefined) return null;
  const env = engineWorkerEnv(process.env);
  if (env['GLIBC_TUNABLES'] === process.env['GLIBC_TUNABLES']) return null;
  const r = spawnSync(process.execPath, ['bench/run.mjs', entry, ...argv], {
    stdio: 'inherit',
    env: { ...env, [ORIGINAL]: process.env['GLIBC_TUNABLES'] ?? '' },
  });
  return r.status ?? 1;
}

/** The environment for a reference process (PyTorch): the one the benchmark was started with. */
export function referenceEnv(): NodeJS.ProcessEnv {
  const original = process.env[ORIGINAL];
  if (original === undefined) return { ...process.env };
  const { [ORIGINAL]: _, GLIBC_TUNABLES: __, ...rest } = process.env;
  return original === '' ? rest : { ...rest, GLIBC_TUNABLES: original };
}

/** What the engine runs with, for the benchmark's header. */
export function mallocLine(): string {
  return `GLIBC_TUNABLES=${process.env['GLIBC_TUNABLES'] || 'unset'}`;
}
