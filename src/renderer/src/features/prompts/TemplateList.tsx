// The workspace's templates, one line each: name, then latest version number, its message, date and review status.
import { List, ListItemButton, ListItemText, Paper } from '@mui/material';
import { TEMPLATE_STATUS_LABELS, type TemplateSummary } from '../../../../shared/contract';
import { shortDate } from './format';

export function TemplateList({
  templates,
  selectedId,
  onSelect,
}: {
  templates: readonly TemplateSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <Paper variant="outlined" sx={{ width: 240, flexShrink: 0, alignSelf: 'flex-start' }}>
      <List disablePadding data-testid="template-list" aria-label="Templates">
        {templates.map((t) => (
          <ListItemButton
            key={t.id}
            selected={t.id === selectedId}
            onClick={() => onSelect(t.id)}
            data-testid="template-item"
            data-template-id={t.id}
            aria-current={t.id === selectedId ? 'true' : undefined}
          >
            <ListItemText
              primary={<span data-testid="template-item-name">{t.name}</span>}
              secondary={
                <span data-testid="template-item-summary">
                  v{t.latest.version} · {t.latest.message || 'no message'} · {shortDate(t.latest.createdAt)} ·{' '}
                  {TEMPLATE_STATUS_LABELS[t.latest.status]}
                </span>
              }
            />
          </ListItemButton>
        ))}
      </List>
    </Paper>
  );
}
