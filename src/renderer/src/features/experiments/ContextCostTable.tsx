// Context cost per component: what the input, the template, the demonstrations and the soft prompt each add to a
// call in tokens, the mean call and the longest (what a budget's maximum context tokens judges). For an experiment's
// cells (on its own dataset split) and for one specialization (on a dataset picked there).
import { CircularProgress } from '@mui/material';
import type { ContextCost, Experiment } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable, type StatColumn } from '../../components/StatisticsTable';
import { formatNumber } from './format';

export interface LabelledCost {
  label: string;
  cost: ContextCost;
}

const tokens = (n: number): string => formatNumber(n);
/** A part can also shorten a call (a template that drops the input's field layout): the sign says which. */
const added = (n: number): string => (n < 0 ? tokens(n) : `+${tokens(n)}`);

export function ContextCostTable({ rows }: { rows: readonly LabelledCost[] }) {
  const columns: StatColumn<LabelledCost>[] = [
    { header: 'Specialization', cell: (r) => r.label },
    { header: 'Input', numeric: true, cell: (r) => tokens(r.cost.input) },
    { header: 'Template', numeric: true, testId: 'cost-template', cell: (r) => added(r.cost.template) },
    {
      header: 'Demonstrations',
      numeric: true,
      testId: 'cost-demonstrations',
      cell: (r) => added(r.cost.demonstrations),
    },
    { header: 'Soft prompt', numeric: true, testId: 'cost-soft-prompt', cell: (r) => `+${r.cost.softPrompt}` },
    { header: 'Mean call', numeric: true, cell: (r) => tokens(r.cost.meanTotal) },
    { header: 'Longest call', numeric: true, testId: 'cost-longest', cell: (r) => r.cost.longest },
    { header: 'Rows', numeric: true, cell: (r) => r.cost.rows },
  ];
  return (
    <StatisticsTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.cost.specializationId}
      testId="context-cost-table"
      rowTestId="context-cost-row"
    />
  );
}

/** Each cell's context cost, on the experiment's own rows (at most 200, the most the method counts at once). */
export function CellContextCosts({ experiment }: { experiment: Experiment }) {
  const { datasetVersionId, split } = experiment.spec;
  const rows = Math.min(200, experiment.spec.limit ?? 200);
  const costs = useLoad(
    (a) =>
      Promise.all(
        experiment.cells.map(async (c) => ({
          label: c.label,
          cost: await a.experiments.contextCost({
            specializationId: c.specializationId,
            datasetVersionId,
            split,
            rows,
          }),
        })),
      ),
    [experiment.id],
  );
  if (costs.error) return <ErrorAlert error={costs.error} />;
  if (!costs.data) return <CircularProgress size={20} aria-label="Counting context tokens" />;
  return <ContextCostTable rows={costs.data} />;
}
