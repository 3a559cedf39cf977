// A performance budget as the form edits it (one text per limit, empty = no limit) and back.
import type { PerformanceBudget, PerformanceBudgetIn } from '../../../shared/budget';

export const BUDGET_FIELDS = [
  { key: 'p95LatencyMs', label: 'p95 latency at most (ms)' },
  { key: 'p95TimeToFirstTokenMs', label: 'p95 time to first token at most (ms)' },
  { key: 'minTokensPerSecond', label: 'Speed at least (tokens/s)' },
  { key: 'maxContextTokens', label: 'Context at most (tokens per call)' },
  { key: 'maxMemoryMiB', label: 'Engine memory at most (MiB)' },
] as const satisfies readonly { key: keyof PerformanceBudget; label: string }[];

export type BudgetDraft = Record<keyof PerformanceBudget, string>;

export function budgetDraft(b: PerformanceBudget | null): BudgetDraft {
  const text = (v: number | null | undefined): string => (v == null ? '' : String(v));
  return {
    p95LatencyMs: text(b?.p95LatencyMs),
    p95TimeToFirstTokenMs: text(b?.p95TimeToFirstTokenMs),
    minTokensPerSecond: text(b?.minTokensPerSecond),
    maxContextTokens: text(b?.maxContextTokens),
    maxMemoryMiB: text(b?.maxMemoryMiB),
  };
}

/** null when no limit is set; a text that is not a number goes through as NaN for the contract to name the field. */
export function budgetFromDraft(d: BudgetDraft): PerformanceBudgetIn | null {
  const entries = BUDGET_FIELDS.map(({ key }) => [key, d[key].trim() === '' ? null : Number(d[key])] as const);
  return entries.every(([, v]) => v === null) ? null : Object.fromEntries(entries);
}
