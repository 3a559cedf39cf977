// A version's rows in an MUI X DataGrid with server-side pages (datasets.rows), split chips with their counts and a
// duplicates filter (both the repeats and the rows they repeat). Sorting and column filters are off: the order is
// the dataset's own, and a sort of one page would mislead.
import { Box, Chip, Stack } from '@mui/material';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import { useMemo, useState } from 'react';
import { SPLITS, type DatasetRowView, type DatasetVersion, type SplitName } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorReporter';
import { cellText } from './format';
import { useRowsPage } from './useDatasets';

const PAGE_SIZES = [25, 50, 100];

export function RowsGrid({ version }: { version: DatasetVersion }) {
  const [split, setSplit] = useState<SplitName | null>(null);
  const [onlyDuplicates, setOnlyDuplicates] = useState(false);
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const rows = useRowsPage({
    versionId: version.id,
    split,
    onlyDuplicates,
    page: pagination.page,
    pageSize: pagination.pageSize,
  });
  const filter = (next: { split?: SplitName | null; onlyDuplicates?: boolean }) => {
    if (next.split !== undefined) setSplit(next.split);
    if (next.onlyDuplicates !== undefined) setOnlyDuplicates(next.onlyDuplicates);
    setPagination((p) => ({ ...p, page: 0 }));
  };

  const columns = useMemo<GridColDef<DatasetRowView>[]>(
    () => [
      { field: 'idx', headerName: '#', width: 70, type: 'number' },
      { field: 'split', headerName: 'Split', width: 100 },
      ...version.fields.map((f): GridColDef<DatasetRowView> => ({
        field: `data:${f.name}`,
        headerName: f.role === 'none' ? f.name : `${f.name} (${f.role})`,
        flex: f.role === 'input' || f.role === 'reference' ? 2 : 1,
        minWidth: f.role === 'input' || f.role === 'reference' ? 260 : 120,
        valueGetter: (_value, row) => cellText(row.data[f.name]),
      })),
      { field: 'source', headerName: 'File:line', width: 150, valueGetter: (_value, row) => `${row.file}:${row.line}` },
      {
        field: 'duplicateOf',
        headerName: 'Repeats #',
        width: 100,
        type: 'number',
        valueGetter: (_value, row) => row.duplicateOf ?? undefined,
      },
    ],
    [version.fields],
  );

  return (
    <Box data-testid="dataset-rows">
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }}>
        <Chip
          label={`All ${version.rowCount.toLocaleString()}`}
          color={split === null ? 'primary' : 'default'}
          onClick={() => filter({ split: null })}
          data-testid="split-chip-all"
        />
        {SPLITS.map((s) => (
          <Chip
            key={s}
            label={`${s} ${version.splits[s].toLocaleString()}`}
            color={split === s ? 'primary' : 'default'}
            onClick={() => filter({ split: s })}
            data-testid={`split-chip-${s}`}
          />
        ))}
        <Chip
          label={`Duplicates ${version.duplicateCount.toLocaleString()}`}
          variant={onlyDuplicates ? 'filled' : 'outlined'}
          color={onlyDuplicates ? 'warning' : 'default'}
          onClick={() => filter({ onlyDuplicates: !onlyDuplicates })}
          data-testid="duplicates-chip"
        />
      </Stack>
      <ErrorAlert error={rows.error} testId="dataset-rows-error" />
      <Box sx={{ height: 520 }}>
        <DataGrid
          rows={rows.data?.rows ?? []}
          getRowId={(r) => r.idx}
          columns={columns}
          rowCount={rows.data?.total ?? 0}
          loading={rows.loading}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={setPagination}
          pageSizeOptions={PAGE_SIZES}
          disableColumnFilter
          disableColumnSorting
          disableRowSelectionOnClick
          density="compact"
          aria-label="Dataset rows"
        />
      </Box>
    </Box>
  );
}
