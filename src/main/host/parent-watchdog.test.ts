// An engine worker stuck in synchronous code dies with its parent: a real parent process forks the real worker, asks
// it to spin (test hook), and is killed with SIGKILL; the worker must be gone within a few poll periods.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_CONFIG_FLAG, type WorkerConfig } from '../engine/protocol';
import { engineWorkerScript } from './testing/engine-worker-script';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

/** The parent: forks the worker as spawnChildProcess does, sends the spin request after hello, prints the pid. */
const PARENT = `
import { fork } from 'node:child_process';
const [script, config] = process.argv.slice(2);
const child = fork(script, [config], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
child.on('message', (m) => {
  if (m.type !== 'hello') return;
  child.send({ type: 'request', id: 1, method: 'crash', params: { how: 'spin' } });
  console.log(String(child.pid));
});
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user, clock ticks) the process has used, from /proc. */
function userTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[11]);
}

async function until(what: string, condition: () => boolean, limitMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(process.platform === 'linux')('engine worker parent watchdog', () => {
  it('kills a worker spinning in synchronous code when its parent is killed with SIGKILL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-orphan-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const parentScript = path.join(dir, 'parent.mjs');
    fs.writeFileSync(parentScript, PARENT);
    const config: WorkerConfig = { threads: 1, spinThreads: false, testHooks: true };
    const parent = spawn(
      process.execPath,
      [parentScript, await engineWorkerScript(), `${WORKER_CONFIG_FLAG}${JSON.stringify(config)}`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let workerPid = 0;
    cleanup.push(() => {
      parent.kill('SIGKILL');
      if (workerPid > 0 && alive(workerPid)) process.kill(workerPid, 'SIGKILL');
    });
    workerPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.on('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    // Spinning for real: half a second of CPU (50 ticks) on a busy machine may take a while of wall time.
    await until('the worker to spin', () => userTicks(workerPid) >= 50, 60_000);
    parent.kill('SIGKILL');
    await until('the orphaned worker to die', () => !alive(workerPid), 10_000);
    expect(alive(workerPid)).toBe(false);
  });
});
