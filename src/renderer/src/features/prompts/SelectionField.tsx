// How a demonstration set picks its examples per input: all in order (fixed), k at random with a seed, or the k most
// similar to the input (shared words). Part of the set's version: changing it saves a new version.
import { MenuItem, Stack, TextField } from '@mui/material';
import type { DemonstrationSelection } from '../../../../shared/contract';

export function selectionText(s: DemonstrationSelection): string {
  switch (s.kind) {
    case 'fixed':
      return 'all, in order';
    case 'random':
      return `${s.k} at random (seed ${s.seed})`;
    case 'similar':
      return `the ${s.k} most similar to the input`;
  }
}

export function SelectionField({
  value,
  onChange,
  max,
}: {
  value: DemonstrationSelection;
  onChange: (s: DemonstrationSelection) => void;
  max: number;
}) {
  const k = value.kind === 'fixed' ? Math.min(3, Math.max(1, max)) : value.k;
  const setKind = (kind: DemonstrationSelection['kind']) =>
    onChange(
      kind === 'fixed'
        ? { kind }
        : kind === 'random'
          ? { kind, k, seed: value.kind === 'random' ? value.seed : 1 }
          : { kind, k },
    );
  const number = (text: string, min: number, top: number) =>
    Math.max(min, Math.min(top, Math.floor(Number(text) || min)));
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }} data-testid="demo-selection">
      <TextField
        select
        size="small"
        label="Per input, show"
        value={value.kind}
        onChange={(e) => setKind(e.target.value as DemonstrationSelection['kind'])}
        sx={{ minWidth: 220 }}
        slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'demo-selection-kind' } as object } }}
      >
        <MenuItem value="fixed">All, in this order</MenuItem>
        <MenuItem value="random">k at random (seeded)</MenuItem>
        <MenuItem value="similar">The k most similar</MenuItem>
      </TextField>
      {value.kind !== 'fixed' && (
        <TextField
          size="small"
          type="number"
          label="k"
          value={value.k}
          sx={{ width: 80 }}
          onChange={(e) => onChange({ ...value, k: number(e.target.value, 1, 64) })}
        />
      )}
      {value.kind === 'random' && (
        <TextField
          size="small"
          type="number"
          label="Seed"
          value={value.seed}
          sx={{ width: 110 }}
          onChange={(e) => onChange({ ...value, seed: number(e.target.value, 0, 0xffff_ffff) })}
        />
      )}
    </Stack>
  );
}
