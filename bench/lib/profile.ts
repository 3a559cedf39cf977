// Reads an ORT profile trace (Chrome trace JSON written by enableProfiling) and summarises kernel time per op type
// and per model part, for chosen model_run calls, beside the run's own duration (time outside kernels).
import { readFileSync } from 'node:fs';

interface TraceEvent {
  cat: string;
  name: string;
  ts: number; // microseconds
  dur: number;
  args?: { op_name?: string };
}

export interface RunSummary {
  runs: number;
  /** Mean model_run microseconds per run. */
  runUs: number;
  /** Mean kernel microseconds per run, by op type and by part (layer scope stripped). */
  byOp: Map<string, number>;
  byPart: Map<string, number>;
}

export function readTrace(path: string): TraceEvent[] {
  return JSON.parse(readFileSync(path, 'utf8')) as TraceEvent[];
}

/** model_run events in order (one per session.run). */
export function modelRuns(events: TraceEvent[]): TraceEvent[] {
  return events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
}

/** "model/layers.3/mlp/gate_proj/MatMul_12_kernel_time" -> "mlp/gate_proj"; LoRA nodes -> "lora". */
function partOf(nodeName: string): string {
  const name = nodeName.replace(/_kernel_time$/, '');
  if (name.includes('/lora')) return 'lora (rank 0)';
  const inLayer = /layers\.\d+\/(.*)$/.exec(name);
  const path = (inLayer ? inLayer[1] : name) as string;
  const parts = path.split('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : `(top) ${path.replace(/_?\d+$/, '')}`;
}

export function summarise(events: TraceEvent[], runs: TraceEvent[]): RunSummary {
  const byOp = new Map<string, number>();
  const byPart = new Map<string, number>();
  const nodes = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  for (const run of runs) {
    for (const n of nodes) {
      if (n.ts < run.ts || n.ts > run.ts + run.dur) continue;
      const op = n.args?.op_name ?? '?';
      byOp.set(op, (byOp.get(op) ?? 0) + n.dur / runs.length);
      const part = partOf(n.name);
      byPart.set(part, (byPart.get(part) ?? 0) + n.dur / runs.length);
    }
  }
  const runUs = runs.reduce((a, r) => a + r.dur, 0) / Math.max(runs.length, 1);
  return { runs: runs.length, runUs, byOp, byPart };
}

/** Lines "  MatMul  7.81 ms  61.2%" sorted by time, top `limit`. */
export function table(totals: Map<string, number>, runUs: number, limit = 14): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(
      ([k, us]) =>
        `    ${k.padEnd(34)} ${(us / 1000).toFixed(2).padStart(7)} ms ${((100 * us) / runUs).toFixed(1).padStart(5)}%`,
    );
}
