// A template's history, newest first: number, status chip, author, message and date; picking one shows it (an older
// one read-only). "Compare" opens Monaco's diff editor between the two versions ticked (the newest two when fewer
// are ticked); with one version it stays off and says why.
import {
  Button,
  Checkbox,
  Chip,
  List,
  ListItem,
  ListItemButton,
  ListItemText,
  Paper,
  Stack,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { TEMPLATE_STATUS_LABELS, type TemplateVersion } from '../../../../shared/contract';
import { comparePlan } from './compare-pair';
import { DiffDialog } from './DiffDialog';
import { shortDate } from './format';
import { STATUS_COLORS } from './status';

export function VersionList({
  versions,
  shownId,
  onPick,
}: {
  versions: readonly TemplateVersion[];
  shownId: string | null;
  onPick: (version: TemplateVersion) => void;
}) {
  const latestId = versions[0]?.id;
  const [ticked, setTicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);
  const toggle = (id: string) => setTicked((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t, id].slice(-2)));
  const plan = comparePlan(versions, ticked);
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle1" component="h2" sx={{ flex: 1 }}>
          History
        </Typography>
        <Tooltip title={plan.ok ? 'Tick two versions to compare others.' : plan.reason}>
          {/* A disabled button takes no pointer events: the span carries the tooltip. */}
          <span>
            <Button size="small" disabled={!plan.ok} onClick={() => setComparing(true)} data-testid="template-compare">
              Compare {plan.ok ? `v${plan.original.version} and v${plan.modified.version}` : 'two versions'}
            </Button>
          </span>
        </Tooltip>
      </Stack>
      {!plan.ok && (
        <Typography variant="caption" color="text.secondary" component="p" data-testid="template-compare-hint">
          {plan.reason}
        </Typography>
      )}
      <List dense disablePadding data-testid="template-versions" aria-label="Template versions">
        {versions.map((v) => (
          <ListItem
            key={v.id}
            disablePadding
            secondaryAction={
              <Checkbox
                edge="end"
                size="small"
                checked={ticked.includes(v.id)}
                onChange={() => toggle(v.id)}
                slotProps={{ input: { 'aria-label': `Compare version ${v.version}` } }}
                data-testid="template-version-tick"
              />
            }
          >
            <ListItemButton
              selected={v.id === (shownId ?? latestId)}
              onClick={() => onPick(v)}
              data-testid="template-version"
              data-version={v.version}
              data-status={v.status}
              aria-current={v.id === (shownId ?? latestId) ? 'true' : undefined}
            >
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <span>Version {v.version}</span>
                    <Chip
                      size="small"
                      label={TEMPLATE_STATUS_LABELS[v.status]}
                      color={STATUS_COLORS[v.status]}
                      data-testid="template-version-status"
                    />
                    {v.id === latestId && <Chip size="small" label="latest" variant="outlined" />}
                  </Stack>
                }
                secondary={`${v.message || 'No message'} · ${v.authorName ?? 'unknown author'} · ${shortDate(v.createdAt)}`}
              />
            </ListItemButton>
          </ListItem>
        ))}
      </List>
      {comparing && plan.ok && (
        <DiffDialog original={plan.original} modified={plan.modified} onClose={() => setComparing(false)} />
      )}
    </Paper>
  );
}
