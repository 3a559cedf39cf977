// Small measurement helpers for the benchmarks: medians, the machine's load average and the process's peak RSS, so a
// noisy run on a shared machine is visible next to its figures.
import { cpus, loadavg } from 'node:os';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs `once` reps times and returns every result (callers print the median and the spread). */
export async function repeat(reps: number, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) out.push(await once());
  return out;
}

/** "load 5.71 6.62 7.15 on 2 cpus" (1, 5, 15 minutes). */
export function loadLine(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} cpus`;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** "61.3 (58.2-63.0)": median and range. */
export function spread(values: readonly number[], digits = 1): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return `${median(values).toFixed(digits)} (${lo.toFixed(digits)}-${hi.toFixed(digits)})`;
}
