// One table for statistics (estimates with their confidence intervals, n, p-values, rates): a column says how to
// show a row's value; numbers sit right-aligned in tabular figures so that digits line up down a column, and a
// column may set a value in bold (a significant p).
import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import type { ReactNode } from 'react';

export interface StatColumn<R> {
  readonly header: ReactNode;
  readonly cell: (row: R) => ReactNode;
  /** A number (or interval): right-aligned, tabular figures, kept on one line. */
  readonly numeric?: boolean;
  readonly strong?: (row: R) => boolean;
  /** data-testid of the column's cells. */
  readonly testId?: string;
  readonly key?: string;
}

export interface StatisticsTableProps<R> {
  readonly rows: readonly R[];
  readonly columns: readonly StatColumn<R>[];
  readonly rowKey: (row: R) => string;
  readonly testId?: string;
  readonly rowTestId?: string;
}

const NUMERIC = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function StatisticsTable<R>({ rows, columns, rowKey, testId, rowTestId }: StatisticsTableProps<R>) {
  return (
    <TableContainer>
      <Table size="small" data-testid={testId}>
        <TableHead>
          <TableRow>
            {columns.map((c, i) => (
              <TableCell key={c.key ?? i} align={c.numeric ? 'right' : 'left'}>
                {c.header}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={rowKey(row)} data-testid={rowTestId}>
              {columns.map((c, i) => (
                <TableCell
                  key={c.key ?? i}
                  align={c.numeric ? 'right' : 'left'}
                  sx={{ ...(c.numeric ? NUMERIC : {}), ...(c.strong?.(row) ? { fontWeight: 600 } : {}) }}
                  data-testid={c.testId}
                >
                  {c.cell(row)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
