// The decoding switch between greedy and seeded sampling. Its label names the switch and both of its states, and
// stays the same whichever is on: a label that changed with the state would read as the action, not the setting.
import { FormControlLabel, Switch } from '@mui/material';

export const SAMPLE_SWITCH_LABEL =
  'Sample (off: greedy, always the likeliest token; on: seeded, so runs repeat exactly)';

export function SampleSwitch({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <FormControlLabel
      control={
        <Switch
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          slotProps={{ input: { 'data-testid': 'spec-sample' } as object }}
        />
      }
      label={SAMPLE_SWITCH_LABEL}
    />
  );
}
