// The registered models, one line each: name, then architecture, size, dtype and context length; a model whose
// folder has gone or changed is marked so the user sees it before trying to use it.
import { Chip, List, ListItemButton, ListItemText, Paper, Stack } from '@mui/material';
import type { ModelRecord } from '../../../../shared/contract';
import { formatBytes, formatCount, formatParameters } from './format';

export function modelSummary(m: ModelRecord): string {
  return `${m.architecture} · ${formatParameters(m.parameters)} parameters · ${formatBytes(m.bytesOnDisk)} · ${m.dtype} · ${formatCount(m.contextLength)} tokens context`;
}

export function ModelList({
  models,
  selectedId,
  onSelect,
}: {
  models: readonly ModelRecord[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  return (
    <Paper variant="outlined" sx={{ width: 380, flexShrink: 0, alignSelf: 'flex-start' }}>
      <List disablePadding data-testid="model-list" aria-label="Models">
        {models.map((m) => (
          <ListItemButton
            key={m.id}
            selected={m.id === selectedId}
            onClick={() => onSelect(m.id)}
            data-testid="model-item"
            data-model-id={m.id}
            aria-current={m.id === selectedId ? 'true' : undefined}
          >
            <ListItemText
              primary={
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <span data-testid="model-item-name">{m.name}</span>
                  {!m.available && (
                    <Chip size="small" color="warning" label="Unavailable" data-testid="model-item-unavailable" />
                  )}
                </Stack>
              }
              secondary={<span data-testid="model-item-summary">{modelSummary(m)}</span>}
            />
          </ListItemButton>
        ))}
      </List>
    </Paper>
  );
}
