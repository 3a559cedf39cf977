// A classification metric's confusion matrix as a heat-tinted table: rows are the true classes, columns the
// predictions ("(other)" for labels outside the set); a cell's tint is its share of the row, the diagonal in green.
import {
  Box,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { alpha, useTheme } from '@mui/material/styles';
import { useState } from 'react';
import type { CellResult } from '../../../../shared/contract';

export function ConfusionMatrices({ cells, metric }: { cells: readonly CellResult[]; metric: number }) {
  const withMatrix = cells.filter((c) => c.metrics[metric]?.confusion);
  const [chosen, setChosen] = useState(withMatrix.length - 1);
  const cell = withMatrix[Math.min(chosen, withMatrix.length - 1)];
  const m = cell?.metrics[metric];
  if (!cell || !m?.confusion) return null;
  return (
    <Box data-testid="confusion-matrix">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="body2" sx={{ flex: 1 }}>
          {m.label}
        </Typography>
        <TextField
          select
          size="small"
          label="Cell"
          value={Math.min(chosen, withMatrix.length - 1)}
          onChange={(e) => setChosen(Number(e.target.value))}
          sx={{ minWidth: 240 }}
        >
          {withMatrix.map((c, i) => (
            <MenuItem key={c.cell.specializationId} value={i}>
              {c.cell.label}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Heat labels={m.confusion.labels} predicted={m.confusion.predicted} matrix={m.confusion.matrix} />
    </Box>
  );
}

function Heat({
  labels,
  predicted,
  matrix,
}: {
  labels: readonly string[];
  predicted: readonly string[];
  matrix: readonly (readonly number[])[];
}) {
  const theme = useTheme();
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" sx={{ width: 'auto', '& td, & th': { px: 1, textAlign: 'center' } }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ textAlign: 'left !important' }}>
              <Typography variant="caption" color="text.secondary">
                true ↓ / predicted →
              </Typography>
            </TableCell>
            {predicted.map((p) => (
              <TableCell
                key={p}
                sx={{ fontSize: 12, maxWidth: 110, overflow: 'hidden', textOverflow: 'ellipsis' }}
                title={p}
              >
                {p}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {labels.map((label, i) => {
            const row = matrix[i] ?? [];
            const total = row.reduce((s, x) => s + x, 0);
            return (
              <TableRow key={label}>
                <TableCell component="th" sx={{ fontSize: 12, textAlign: 'left !important', whiteSpace: 'nowrap' }}>
                  {label}
                </TableCell>
                {predicted.map((p, j) => {
                  const n = row[j] ?? 0;
                  const share = total === 0 ? 0 : n / total;
                  const color = p === label ? theme.palette.success.main : theme.palette.error.main;
                  return (
                    <TableCell
                      key={p}
                      sx={{
                        bgcolor: n === 0 ? undefined : alpha(color, 0.12 + 0.6 * share),
                        fontVariantNumeric: 'tabular-nums',
                        minWidth: 40,
                      }}
                      title={`${n} of ${total} (${(share * 100).toFixed(0)}%)`}
                    >
                      {n === 0 ? '·' : n}
                    </TableCell>
                  );
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
