// Display helpers for the Adapters screen (pure).
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
