// Each cell's performance figures (p95 latency and time to first token, speed, longest context, the engine's peak
// memory) beside the quality metrics, with the experiment's budget judged per limit where it sets one.
import { Chip, Tooltip, Typography } from '@mui/material';
import type { BudgetCheck, PerformanceBudget, PerformanceFigures } from '../../../../shared/budget';
import type { CellResult } from '../../../../shared/contract';
import { StatisticsTable, type StatColumn } from '../../components/StatisticsTable';
import { formatMs, formatNumber } from './format';

interface Column {
  header: string;
  /** The budget check's name that judges this figure. */
  check: string;
  limit: keyof PerformanceBudget;
  show: (f: PerformanceFigures) => string;
  /** The limit in words, for the column's header. */
  wanted: (limit: number) => string;
}

const COLUMNS: Column[] = [
  {
    header: 'p95 latency',
    check: 'p95 latency',
    limit: 'p95LatencyMs',
    show: (f) => formatMs(f.p95LatencyMs),
    wanted: (v) => `≤ ${v} ms`,
  },
  {
    header: 'p95 time to first token',
    check: 'p95 time to first token',
    limit: 'p95TimeToFirstTokenMs',
    show: (f) => formatMs(f.p95TimeToFirstTokenMs),
    wanted: (v) => `≤ ${v} ms`,
  },
  {
    header: 'Tokens/s',
    check: 'Speed',
    limit: 'minTokensPerSecond',
    show: (f) => formatNumber(f.meanTokensPerSecond),
    wanted: (v) => `≥ ${v} tokens/s`,
  },
  {
    header: 'Longest context',
    check: 'Context tokens',
    limit: 'maxContextTokens',
    show: (f) => (f.maxContextTokens === null ? '—' : `${f.maxContextTokens} tokens`),
    wanted: (v) => `≤ ${v} tokens`,
  },
  {
    header: 'Engine memory (peak)',
    check: 'Memory',
    limit: 'maxMemoryMiB',
    show: (f) => (f.peakMemoryBytes === null ? '—' : `${Math.round(f.peakMemoryBytes / 1024 / 1024)} MiB`),
    wanted: (v) => `≤ ${v} MiB`,
  },
];

function Header({ col, limit }: { col: Column; limit: number | null }) {
  return (
    <>
      {col.header}
      {limit !== null && (
        <Typography variant="caption" color="text.secondary" component="div">
          budget {col.wanted(limit)}
        </Typography>
      )}
    </>
  );
}

function Judged({ check }: { check: BudgetCheck | undefined }) {
  if (!check) return null;
  return (
    <Tooltip title={check.detail}>
      <Chip
        size="small"
        color={check.met ? 'success' : 'error'}
        label={check.met ? 'within' : 'over budget'}
        sx={{ ml: 1 }}
        data-testid="budget-chip"
        data-met={String(check.met)}
      />
    </Tooltip>
  );
}

export function BudgetTable({ cells, budget }: { cells: readonly CellResult[]; budget: PerformanceBudget | null }) {
  const columns: StatColumn<CellResult>[] = [
    { header: 'Cell', cell: (c) => c.cell.label },
    ...COLUMNS.map((col): StatColumn<CellResult> => ({
      header: <Header col={col} limit={budget?.[col.limit] ?? null} />,
      numeric: true,
      testId: `budget-${col.limit}`,
      cell: (c) => (
        <>
          {col.show(c.performance)}
          <Judged check={c.budget.find((b) => b.name === col.check)} />
        </>
      ),
    })),
    { header: 'n', numeric: true, cell: (c) => c.performance.n },
  ];
  return (
    <StatisticsTable
      rows={cells}
      columns={columns}
      rowKey={(c) => c.cell.specializationId}
      testId="budget-table"
      rowTestId="budget-row"
    />
  );
}
