// The Audit section's filters: person, action (a method or its beginning), object id and a time range.
import { Button, Stack, TextField } from '@mui/material';
import { EMPTY_FILTER, type FilterDraft } from './audit-filter';

export function AuditFilters({ draft, onChange }: { draft: FilterDraft; onChange: (next: FilterDraft) => void }) {
  const field = (key: keyof FilterDraft, label: string, helper?: string) => (
    <TextField
      size="small"
      label={label}
      value={draft[key]}
      onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
      slotProps={{ htmlInput: { 'data-testid': `audit-filter-${key}` } }}
      {...(helper ? { helperText: helper } : {})}
    />
  );
  const time = (key: 'from' | 'to', label: string) => (
    <TextField
      size="small"
      type="datetime-local"
      label={label}
      value={draft[key]}
      onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': `audit-filter-${key}` } }}
    />
  );
  return (
    <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }} data-testid="audit-filters">
      {field('actor', 'Who', 'name, or "nobody"')}
      {field('method', 'Action', 'e.g. users. or models.add')}
      {field('objectId', 'Object id')}
      {time('from', 'From')}
      {time('to', 'To')}
      <Button onClick={() => onChange(EMPTY_FILTER)} data-testid="audit-filter-clear">
        Clear
      </Button>
    </Stack>
  );
}
