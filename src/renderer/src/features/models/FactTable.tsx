// A titled two-column table of facts (label, value), each row with data-testid fact-<key>.
import { Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { Fact } from './model-facts';

export function FactTable({ title, facts, testId }: { title: string; facts: readonly Fact[]; testId: string }) {
  return (
    <>
      <Typography variant="subtitle1" component="h3" sx={{ mt: 2, mb: 0.5 }}>
        {title}
      </Typography>
      <Table size="small" data-testid={testId} aria-label={title}>
        <TableBody>
          {facts.map((f) => (
            <TableRow key={f.key} data-testid={`fact-${f.key}`}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', width: '45%' }}>
                {f.label}
              </TableCell>
              <TableCell>{f.value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
