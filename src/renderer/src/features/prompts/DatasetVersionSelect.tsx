// A select of the workspace's dataset versions ("Support triage v2"), used by the preview and the demonstration sets.
import { MenuItem, TextField } from '@mui/material';
import type { DatasetOption } from './usePromptsData';

export function DatasetVersionSelect(props: {
  options: readonly DatasetOption[];
  value: string | null;
  onChange: (versionId: string) => void;
  label: string;
  testId: string;
  disabled?: boolean;
}) {
  const { options, value, onChange, label, testId, disabled } = props;
  const known = value !== null && options.some((o) => o.versionId === value);
  return (
    <TextField
      select
      size="small"
      label={label}
      value={known ? value : ''}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled === true || options.length === 0}
      helperText={options.length === 0 ? 'No datasets yet: import one in Datasets.' : undefined}
      sx={{ minWidth: 220 }}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': testId } as object } }}
    >
      {options.map((o) => (
        <MenuItem key={o.versionId} value={o.versionId} data-testid={`${testId}-option`}>
          {o.label} ({o.rowCount.toLocaleString('en-US')} rows)
        </MenuItem>
      ))}
    </TextField>
  );
}
