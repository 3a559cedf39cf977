// A budget judged on measured figures: one line per limit, met or missed, with the figure and the limit in words.
import CheckIcon from '@mui/icons-material/CheckCircle';
import CloseIcon from '@mui/icons-material/HighlightOff';
import { Stack, Typography } from '@mui/material';
import type { BudgetCheck } from '../../../shared/budget';

export function BudgetChecks({ checks, testId = 'budget-check' }: { checks: readonly BudgetCheck[]; testId?: string }) {
  return (
    <Stack spacing={0.25}>
      {checks.map((c) => (
        <Stack
          key={c.name}
          direction="row"
          spacing={0.75}
          sx={{ alignItems: 'center' }}
          data-testid={testId}
          data-met={String(c.met)}
        >
          {c.met ? <CheckIcon fontSize="small" color="success" /> : <CloseIcon fontSize="small" color="error" />}
          <Typography variant="body2">
            <strong>{c.name}</strong>: {c.detail}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}
