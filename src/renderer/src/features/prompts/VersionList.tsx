// A template's versions, newest first (number, message, date); picking an older one shows it read-only.
import { Chip, List, ListItemButton, ListItemText, Paper, Stack, Typography } from '@mui/material';
import type { TemplateVersion } from '../../../../shared/contract';
import { shortDate } from './format';

export function VersionList({ versions, shownId, onPick }: { versions: readonly TemplateVersion[]; shownId: string | null; onPick: (version: TemplateVersion) => void }) {
  const latestId = versions[0]?.id;
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="subtitle1" component="h2">
        Versions
      </Typography>
      <List dense disablePadding data-testid="template-versions" aria-label="Template versions">
        {versions.map((v) => (
          <ListItemButton
            key={v.id}
            selected={v.id === (shownId ?? latestId)}
            onClick={() => onPick(v)}
            data-testid="template-version"
            data-version={v.version}
            aria-current={v.id === (shownId ?? latestId) ? 'true' : undefined}
          >
            <ListItemText
              primary={
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <span>Version {v.version}</span>
                  {v.id === latestId && <Chip size="small" label="latest" variant="outlined" />}
                </Stack>
              }
              secondary={`${v.message || 'No message'} · ${shortDate(v.createdAt)}`}
            />
          </ListItemButton>
        ))}
      </List>
    </Paper>
  );
}
