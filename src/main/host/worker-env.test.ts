// The engine worker's environment: the malloc tunables on Linux only, never overriding the user's own, and what a
// real child process started with it (and the worker spawner) sees.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnChildProcess } from './engine-channel';
import { engineWorkerEnv, WORKER_MALLOC_TUNABLES } from './worker-env';

const OURS = Object.entries(WORKER_MALLOC_TUNABLES).map(([k, v]) => `${k}=${v}`);

describe('engineWorkerEnv', () => {
  it('adds the malloc tunables on Linux and keeps the rest of the environment', () => {
    const env = engineWorkerEnv({ PATH: '/bin', HOME: '/home/ann' }, 'linux');
    expect(env['PATH']).toBe('/bin');
    expect(env['HOME']).toBe('/home/ann');
    expect(env['GLIBC_TUNABLES']?.split(':')).toEqual(OURS);
  });

  it("keeps the user's own tunables and does not override one they set", () => {
    const env = engineWorkerEnv({ GLIBC_TUNABLES: 'glibc.malloc.mmap_max=8:glibc.cpu.hwcaps=-AVX512F' }, 'linux');
    const entries = env['GLIBC_TUNABLES']?.split(':') ?? [];
    expect(entries).toContain('glibc.malloc.mmap_max=8');
    expect(entries).toContain('glibc.cpu.hwcaps=-AVX512F');
    expect(entries).toContain(`glibc.malloc.trim_threshold=${WORKER_MALLOC_TUNABLES['glibc.malloc.trim_threshold']}`);
    expect(entries.filter((e) => e.startsWith('glibc.malloc.mmap_max='))).toHaveLength(1);
  });

  it('changes nothing on other platforms', () => {
    for (const platform of ['darwin', 'win32'] as const)
      expect(engineWorkerEnv({ PATH: 'x' }, platform)).toEqual({ PATH: 'x' });
  });

  it.runIf(process.platform === 'linux')('reaches a real child process, which starts normally with it', () => {
    const seen = execFileSync(process.execPath, ['-e', 'process.stdout.write(process.env.GLIBC_TUNABLES ?? "")'], {
      env: engineWorkerEnv(process.env),
      encoding: 'utf8',
    });
    for (const entry of OURS) expect(seen.split(':')).toContain(entry);
  });
});

describe('spawnChildProcess', () => {
  it.runIf(process.platform === 'linux')('starts the worker with the malloc tunables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dovetail-env-'));
    const script = join(dir, 'report-env.cjs');
    await writeFile(script, 'process.send(process.env.GLIBC_TUNABLES ?? "", () => process.exit(0));\n');
    try {
      const channel = spawnChildProcess(script, []);
      const seen = await new Promise<unknown>((resolve) => channel.onMessage(resolve));
      for (const entry of OURS) expect(String(seen).split(':')).toContain(entry);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
