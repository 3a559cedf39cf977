// Side by side: one row per example (input, reference, one column per cell), paged by the server
// (experiments.outputs), each output tinted by its primary score with the words that differ highlighted; filters for
// disagreements and failures; a click (or Enter on a cell) opens the example's drawer (prompts, tokens, latency).
import { Box, Stack, ToggleButton, ToggleButtonGroup, Tooltip, Typography } from '@mui/material';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import { useMemo, useState } from 'react';
import type { Experiment, OutputRow } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { OutputText, useScoreTint } from './DiffText';
import { ExampleDrawer } from './ExampleDrawer';
import { formatValue } from './format';

type Filter = 'all' | 'disagreements' | 'failures';
type DiffBase = 'reference' | 'first';

const wrap = { whiteSpace: 'pre-wrap', wordBreak: 'break-word', py: 1, lineHeight: 1.45, width: '100%' } as const;

export function inputText(input: Record<string, unknown>): string {
  const entries = Object.entries(input);
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return entries.length === 1 ? text(entries[0]?.[1]) : entries.map(([k, v]) => `${k}: ${text(v)}`).join('\n');
}

export function SideBySide({ experiment, version }: { experiment: Experiment; version: number }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const [diffBase, setDiffBase] = useState<DiffBase>('reference');
  const [open, setOpen] = useState<number | null>(null);
  const tint = useScoreTint();
  const outputs = useLoad(
    (a) =>
      a.experiments.outputs({ id: experiment.id, offset: page.page * page.pageSize, limit: page.pageSize, filter }),
    [experiment.id, page.page, page.pageSize, filter, version],
  );
  // useLoad keeps the last page while the next loads, so the count (and the pager) does not jump.
  const rowCount = outputs.data?.total ?? 0;
  const primary = experiment.spec.metrics[0];

  const columns = useMemo((): GridColDef<OutputRow>[] => {
    const baseOf = (row: OutputRow, k: number): string | null => {
      if (diffBase === 'reference') return row.reference;
      return k === 0 ? null : (row.outputs[0]?.text ?? null);
    };
    return [
      {
        field: 'exampleIdx',
        headerName: '#',
        width: 56,
        sortable: false,
        valueGetter: (_v, row) => row.exampleIdx + 1,
      },
      {
        field: 'input',
        headerName: 'Input',
        flex: 1.4,
        minWidth: 180,
        sortable: false,
        valueGetter: (_v, row) => inputText(row.input),
        renderCell: (p) => <Box sx={wrap}>{p.value as string}</Box>,
      },
      {
        field: 'reference',
        headerName: 'Reference',
        flex: 1,
        minWidth: 110,
        sortable: false,
        renderCell: (p) => <Box sx={{ ...wrap, color: 'text.secondary' }}>{p.row.reference ?? '—'}</Box>,
      },
      ...experiment.cells.map((cell, k): GridColDef<OutputRow> => ({
        field: `cell${k}`,
        headerName: cell.label,
        description: cell.label,
        flex: 1,
        minWidth: 150,
        sortable: false,
        valueGetter: (_v, row) => row.outputs[k]?.text ?? null,
        renderCell: (p) => {
          const out = p.row.outputs[k];
          if (!out || out.text === null) return <Box sx={{ ...wrap, color: 'text.disabled' }}>not generated yet</Box>;
          return (
            <Tooltip
              title={
                out.score === null
                  ? 'not scored'
                  : `${primary ? formatValue(out.score, primary.kind) : out.score} on the primary metric`
              }
              placement="top-start"
            >
              <Box
                sx={{ ...wrap, bgcolor: tint(out.score), px: 1, mx: -1, minHeight: '100%' }}
                data-testid="output-cell"
                data-score={out.score ?? ''}
              >
                <OutputText base={baseOf(p.row, k)} text={out.text} />
              </Box>
            </Tooltip>
          );
        },
      })),
    ];
  }, [experiment.cells, diffBase, tint, primary]);

  return (
    <Box data-testid="side-by-side">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap', rowGap: 1 }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={filter}
          onChange={(_e, v: Filter | null) => {
            setFilter(v ?? 'all');
            setPage((p) => ({ ...p, page: 0 }));
          }}
        >
          <ToggleButton value="disagreements" data-testid="filter-disagreements">
            Disagreements only
          </ToggleButton>
          <ToggleButton value="failures" data-testid="filter-failures">
            Failures only
          </ToggleButton>
        </ToggleButtonGroup>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={diffBase}
          onChange={(_e, v: DiffBase | null) => v && setDiffBase(v)}
        >
          <ToggleButton value="reference">Diff against reference</ToggleButton>
          <ToggleButton value="first">against first cell</ToggleButton>
        </ToggleButtonGroup>
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ flex: 1, textAlign: 'right' }}
          data-testid="side-by-side-count"
        >
          {outputs.data
            ? `${outputs.data.total.toLocaleString('en-US')} example${outputs.data.total === 1 ? '' : 's'}${filter === 'all' ? '' : ` (${filter === 'disagreements' ? 'cells disagree' : 'some cell fails'})`}`
            : ' '}
        </Typography>
      </Stack>
      <ErrorAlert error={outputs.error} />
      <Box sx={{ height: 640 }} data-testid="outputs-grid">
        <DataGrid
          rows={outputs.data?.rows ?? []}
          columns={columns}
          getRowId={(r) => r.exampleIdx}
          rowCount={rowCount}
          paginationMode="server"
          paginationModel={page}
          onPaginationModelChange={setPage}
          pageSizeOptions={[10, 25, 50, 100]}
          loading={outputs.loading && !outputs.data}
          getRowHeight={() => 'auto'}
          onRowClick={(p) => setOpen((p.row as OutputRow).exampleIdx)}
          onCellKeyDown={(p, event) => {
            if (event.key === 'Enter') setOpen((p.row as OutputRow).exampleIdx);
          }}
          disableRowSelectionOnClick
          disableColumnMenu
          density="compact"
          sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' }, '& .MuiDataGrid-cell': { alignItems: 'flex-start' } }}
          localeText={{
            noRowsLabel: filter === 'all' ? 'No outputs yet: run the experiment.' : 'No examples match this filter.',
          }}
        />
      </Box>
      {open !== null && <ExampleDrawer experiment={experiment} exampleIdx={open} onClose={() => setOpen(null)} />}
    </Box>
  );
}
