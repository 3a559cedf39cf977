// Number and text formats shared by the report kinds' builders, so that a rate, an interval or a hash reads the same
// in every report (and in its CSV tables).

export const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
export const pts = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;
export const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));
export const interval = (c: readonly [number, number] | null, f: (v: number) => string): string =>
  c === null ? '—' : `${f(c[0])} to ${f(c[1])}`;
/** A content hash cut to its first 12 hex digits for tables (the lineage table keeps the whole hash). */
export const short = (hash: string | null): string => (hash === null ? '—' : hash.slice(0, 12));

/** "1 h 02 min", "3 min 05 s", "12 s" for a duration in seconds. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A stored ISO time as people read it: "2026-12-07 17:17 UTC" (the lineage keeps the exact time). */
export function when(iso: string | null): string {
  if (iso === null) return '—';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
