// The PyTorch reference (tools/reference/torch_generate.py) as a subprocess, when the reference Python can import
// torch: same checkpoint, same token counts, same thread count. Returns null (with the reason) when it cannot run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { referenceEnv } from './worker-env';

/**
 * The Python that runs the PyTorch references: DOVETAIL_BENCH_PYTHON (e.g. a virtual environment's bin/python with a
 * current torch), else python3 on PATH (an activated virtual environment, or the system's).
 */
export function referencePython(): string {
  return process.env['DOVETAIL_BENCH_PYTHON'] || 'python3';
}

export interface TorchFigures {
  torch: string;
  threads: number;
  prefill_tok_s: number;
  decode_b1_tok_s: number;
  decode_b8_tok_s: number;
  decode_ctx_tok_s: number;
}

/** The reference Python's torch version, or null when it cannot import torch. */
export function torchVersion(): string | null {
  const r = spawnSync(referencePython(), ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function torchAvailable(): boolean {
  return torchVersion() !== null;
}

export function runTorch(
  root: string,
  args: { model: string; threads: number; prefill: number; decode: number; context: number; reps: number },
): TorchFigures | string {
  const script = join(root, 'tools/reference/torch_generate.py');
  const argv = [
    script,
    '--model',
    args.model,
    '--threads',
    `${args.threads}`,
    '--prefill',
    `${args.prefill}`,
    '--decode',
    `${args.decode}`,
    '--context',
    `${args.context}`,
    '--reps',
    `${args.reps}`,
  ];
  const r = spawnSync(referencePython(), argv, {
    encoding: 'utf8',
    timeout: 30 * 60_000,
    env: { ...referenceEnv(), OMP_NUM_THREADS: `${args.threads}` },
  });
  if (r.status !== 0)
    return `torch reference failed (${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`;
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as TorchFigures;
}
