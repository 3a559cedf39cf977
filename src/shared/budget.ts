// Performance budgets: limits on how fast, how long and how large a specialization's calls may be, attached to an
// experiment (judged on its measured outputs) or to a channel (judged on a release's evidence, later on serving).
// The figures and the judgement are pure, so experiments, the CLI, release gates and the renderer share one wording.
import { z } from 'zod';

const positive = z.number().positive().nullable().default(null);

export const PerformanceBudget = z
  .object({
    /** 95th percentile of a call's total time (prefill and decoding), in milliseconds. */
    p95LatencyMs: positive,
    /** 95th percentile of the time to the first generated token, in milliseconds. */
    p95TimeToFirstTokenMs: positive,
    /** Mean decoding rate after the first token. */
    minTokensPerSecond: positive,
    /** Context tokens of the longest call (template, demonstrations, soft prompt and input together). */
    maxContextTokens: z.number().int().positive().nullable().default(null),
    /** Peak resident memory of the engine worker while it generated, in MiB. */
    maxMemoryMiB: positive,
  })
  .strict();
export type PerformanceBudget = z.infer<typeof PerformanceBudget>;
export type PerformanceBudgetIn = z.input<typeof PerformanceBudget>;

/** What was measured over n calls; null where nothing measured it (e.g. outputs stored before memory was recorded). */
export const PerformanceFigures = z.object({
  n: z.number().int().nonnegative(),
  p95LatencyMs: z.number().nullable(),
  p95TimeToFirstTokenMs: z.number().nullable(),
  meanTokensPerSecond: z.number().nullable(),
  maxContextTokens: z.number().nullable(),
  peakMemoryBytes: z.number().nullable(),
});
export type PerformanceFigures = z.infer<typeof PerformanceFigures>;

export const BudgetCheck = z.object({
  /** "p95 latency", "p95 time to first token", ... */
  name: z.string(),
  met: z.boolean(),
  /** The figure and the limit in plain words ("412 ms; at most 500 ms"). */
  detail: z.string(),
});
export type BudgetCheck = z.infer<typeof BudgetCheck>;

export function hasBudget(budget: PerformanceBudget | null | undefined): budget is PerformanceBudget {
  return budget != null && Object.values(budget).some((v) => v !== null);
}

interface Line {
  name: string;
  limit: number | null;
  value: number | null;
  kind: 'max' | 'min';
  show: (v: number) => string;
}

const ms = (v: number): string => `${v.toFixed(0)} ms`;
const MIB = 1024 * 1024;

/** The budget's limits in short words ("p95 latency <= 300 ms"), in the budget's order. */
export function budgetSummary(budget: PerformanceBudget): string[] {
  const b = budget;
  return [
    b.p95LatencyMs === null ? null : `p95 latency <= ${b.p95LatencyMs} ms`,
    b.p95TimeToFirstTokenMs === null ? null : `p95 time to first token <= ${b.p95TimeToFirstTokenMs} ms`,
    b.minTokensPerSecond === null ? null : `>= ${b.minTokensPerSecond} tokens/s`,
    b.maxContextTokens === null ? null : `context <= ${b.maxContextTokens} tokens`,
    b.maxMemoryMiB === null ? null : `memory <= ${b.maxMemoryMiB} MiB`,
  ].filter((p): p is string => p !== null);
}

/** One check per limit the budget sets, in the budget's order; a figure nobody measured misses its limit. */
export function checkBudget(budget: PerformanceBudget, f: PerformanceFigures): BudgetCheck[] {
  const lines: Line[] = [
    { name: 'p95 latency', limit: budget.p95LatencyMs, value: f.p95LatencyMs, kind: 'max', show: ms },
    {
      name: 'p95 time to first token',
      limit: budget.p95TimeToFirstTokenMs,
      value: f.p95TimeToFirstTokenMs,
      kind: 'max',
      show: ms,
    },
    {
      name: 'Speed',
      limit: budget.minTokensPerSecond,
      value: f.meanTokensPerSecond,
      kind: 'min',
      show: (v) => `${v.toFixed(1)} tokens/s`,
    },
    {
      name: 'Context tokens',
      limit: budget.maxContextTokens,
      value: f.maxContextTokens,
      kind: 'max',
      show: (v) => `${v.toFixed(0)} tokens`,
    },
    {
      name: 'Memory',
      limit: budget.maxMemoryMiB === null ? null : budget.maxMemoryMiB * MIB,
      value: f.peakMemoryBytes,
      kind: 'max',
      show: (v) => `${(v / MIB).toFixed(0)} MiB`,
    },
  ];
  return lines.flatMap(({ name, limit, value, kind, show }) => {
    if (limit === null) return [];
    const wanted = `${kind === 'max' ? 'at most' : 'at least'} ${show(limit)}`;
    if (value === null) return [{ name, met: false, detail: `Not measured; needs ${wanted}` }];
    const met = kind === 'max' ? value <= limit : value >= limit;
    return [{ name, met, detail: `${show(value)} over ${f.n} calls; needs ${wanted}` }];
  });
}

/** The figures of a set of calls (an experiment cell's outputs, a release's served requests). */
export function performanceFigures(
  calls: readonly {
    totalMs: number;
    timeToFirstTokenMs: number | null;
    tokensPerSecond: number | null;
    promptTokens: number;
    peakRssBytes: number | null;
  }[],
): PerformanceFigures {
  const present = <T>(xs: readonly (T | null)[]): T[] => xs.filter((x): x is T => x !== null);
  const rates = present(calls.map((c) => c.tokensPerSecond));
  const memory = present(calls.map((c) => c.peakRssBytes));
  return {
    n: calls.length,
    p95LatencyMs: quantile(
      calls.map((c) => c.totalMs),
      0.95,
    ),
    p95TimeToFirstTokenMs: quantile(present(calls.map((c) => c.timeToFirstTokenMs)), 0.95),
    meanTokensPerSecond: rates.length === 0 ? null : rates.reduce((s, v) => s + v, 0) / rates.length,
    maxContextTokens: largest(calls.map((c) => c.promptTokens)),
    peakMemoryBytes: largest(memory),
  };
}

// reduce, not Math.max(...xs): a cell may hold more outputs than the call stack takes arguments.
function largest(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((m, v) => (v > m ? v : m), -Infinity);
}

/** The q-quantile with linear interpolation between order statistics (numpy's default); null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
