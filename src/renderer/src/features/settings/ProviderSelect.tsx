// The execution-provider choice with each provider's probe result beside it: available, or why not. Unavailable ones
// stay selectable (the engine then runs on CPU and says why), so a user can prepare a setting for a later driver.
import { Box, CircularProgress, ListItemText, MenuItem, TextField, Typography } from '@mui/material';
import type { HTMLAttributes } from 'react';
import {
  EXECUTION_PROVIDERS,
  providerLabel,
  type ExecutionProvider,
  type ProviderProbe,
} from '../../../../shared/contract';

interface Props {
  value: ExecutionProvider;
  onChange: (provider: ExecutionProvider) => void;
  /** undefined while the worker probes. */
  probes: readonly ProviderProbe[] | undefined;
  disabled: boolean;
}

export function ProviderSelect({ value, onChange, probes, disabled }: Props) {
  const probeOf = (name: string) => probes?.find((p) => p.name === name);
  return (
    <TextField
      select
      fullWidth
      label="Execution provider"
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value as ExecutionProvider)}
      slotProps={{
        select: {
          renderValue: (selected) => (
            <ProviderName name={selected as string} probe={probeOf(selected as string)} probing={!probes} />
          ),
          SelectDisplayProps: { 'data-testid': 'settings-provider' } as HTMLAttributes<HTMLDivElement>,
        },
      }}
    >
      {EXECUTION_PROVIDERS.map((name) => {
        const probe = probeOf(name);
        return (
          <MenuItem
            key={name}
            value={name}
            data-testid={`provider-option-${name}`}
            data-available={probe ? String(probe.available) : 'unknown'}
          >
            <ListItemText
              primary={providerLabel(name)}
              secondary={!probe ? 'Checking…' : probe.available ? 'Available' : probe.reason}
              slotProps={{
                secondary: {
                  sx: { whiteSpace: 'normal', color: probe?.available ? 'success.main' : 'text.secondary' },
                },
              }}
            />
          </MenuItem>
        );
      })}
    </TextField>
  );
}

function ProviderName({ name, probe, probing }: { name: string; probe: ProviderProbe | undefined; probing: boolean }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
      <span>{providerLabel(name)}</span>
      {probing ? (
        <CircularProgress size={12} aria-label="Checking providers" />
      ) : (
        <Typography variant="caption" color={probe?.available ? 'success.main' : 'warning.main'}>
          {probe?.available ? 'available' : 'unavailable'}
        </Typography>
      )}
    </Box>
  );
}
