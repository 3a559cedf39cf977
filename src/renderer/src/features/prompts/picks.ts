// Pure helpers for building a demonstration set: the picked training rows in their chosen order (at most 64, the
// contract's limit), moved up and down, and how a row reads in a list (its inputs, then its reference).
export const MAX_DEMONSTRATIONS = 64;

export interface PickedRow {
  readonly key: string;
  readonly idx: number;
  readonly input: string;
  readonly reference: string;
}

/** Adds the row at the end, or removes it when picked already; adding beyond the limit changes nothing. */
export function togglePick(picks: readonly PickedRow[], row: PickedRow): readonly PickedRow[] {
  if (picks.some((p) => p.key === row.key)) return picks.filter((p) => p.key !== row.key);
  return picks.length >= MAX_DEMONSTRATIONS ? picks : [...picks, row];
}

/** Moves the pick at `index` by `delta` places (-1 up, +1 down); out of range changes nothing. */
export function movePick(picks: readonly PickedRow[], index: number, delta: number): readonly PickedRow[] {
  const to = index + delta;
  if (index < 0 || index >= picks.length || to < 0 || to >= picks.length) return picks;
  const next = [...picks];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved!);
  return next;
}

/** A value as one line of a list: strings as they are, anything else as JSON, runs of white space as one space. */
export function cellText(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/\s+/g, ' ').trim();
}

export function pickOf(
  row: { key: string; idx: number; data: Record<string, unknown> },
  roles: { input: readonly string[]; reference: string | null },
): PickedRow {
  return {
    key: row.key,
    idx: row.idx,
    input: roles.input
      .map((f) => cellText(row.data[f]))
      .filter((t) => t !== '')
      .join(' · '),
    reference: roles.reference === null ? '' : cellText(row.data[roles.reference]),
  };
}
