// The five limits of a performance budget as number fields (experiments' New dialog, a channel's gates).
import { Stack, TextField } from '@mui/material';
import { BUDGET_FIELDS, type BudgetDraft } from './budget-draft';

export function BudgetFields({ value, onChange }: { value: BudgetDraft; onChange(next: BudgetDraft): void }) {
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }} data-testid="budget-fields">
      {BUDGET_FIELDS.map(({ key, label }) => (
        <TextField
          key={key}
          label={label}
          type="number"
          size="small"
          value={value[key]}
          onChange={(e) => onChange({ ...value, [key]: e.target.value })}
          placeholder="no limit"
          sx={{ width: 230 }}
          slotProps={{ htmlInput: { 'data-testid': `budget-${key}`, min: 0 } }}
        />
      ))}
    </Stack>
  );
}
