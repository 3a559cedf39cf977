// Display helpers for the Adapters screen (pure).
import type { TrainingProgress } from '../../../../shared/contract';

export function seconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function bytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`;
}

export function loss(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : x.toFixed(4);
}

/** The training header's line; validation loss only once there is one (no "validation —" before the first eval). */
export function jobStats(p: TrainingProgress): string {
  const validation = p.valLoss === null ? '' : ` · validation loss ${loss(p.valLoss)}`;
  return `step ${p.step} / ${p.totalSteps} · loss ${loss(p.loss)}${validation} · lr ${p.lr.toExponential(1)} · ${p.tokensPerSecond.toFixed(0)} tokens/s · ETA ${seconds(p.etaSeconds)} · peak memory ${bytes(p.peakRssBytes)}`;
}
