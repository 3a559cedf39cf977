// An experiment's failure modes: per cell, each category's rate with its Wilson 95% CI and n, where it comes from,
// its change from the first cell (McNemar p) and the examples behind it; then the pass rate per slice.
import { Paper, Typography } from '@mui/material';
import type { FailureModes } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable } from '../../components/StatisticsTable';
import { changeText, rateText } from './format';

type Category = FailureModes['cells'][number]['categories'][number];
type Slice = FailureModes['cells'][number]['slices'][number];

const SOURCES: Record<Category['source'], string> = {
  metric: 'metric',
  review: 'reviewers',
  rule: 'rule',
  output: 'generation',
};

export function FailureModesPanel({ experimentId, reloadKey }: { experimentId: string; reloadKey: number }) {
  const modes = useLoad((a) => a.robustness.failureModes({ id: experimentId }), [experimentId, reloadKey]);
  if (modes.error !== undefined) return <ErrorAlert error={modes.error} testId="failure-modes-error" />;
  if (modes.data === undefined) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="failure-modes">
      <Typography variant="h6" component="h2">
        Failure modes
      </Typography>
      {modes.data.cells.map((cell) => (
        <div key={cell.specializationId}>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {cell.label} ({cell.n} outputs)
          </Typography>
          {cell.categories.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              No output falls in any category.
            </Typography>
          ) : (
            <StatisticsTable<Category>
              rows={cell.categories}
              rowKey={(c) => c.category}
              testId="failure-categories"
              rowTestId="failure-category"
              columns={[
                { header: 'Category', cell: (c) => c.category },
                { header: 'From', cell: (c) => SOURCES[c.source] },
                { header: 'Rate [95% CI]', numeric: true, cell: (c) => rateText(c.rate, c.ci) },
                { header: 'n', numeric: true, cell: (c) => `${c.count} / ${c.n}` },
                {
                  header: 'Change from first',
                  numeric: true,
                  cell: (c) => changeText(c.change),
                  strong: (c) => (c.change?.p ?? 1) < 0.05,
                },
                { header: 'Examples', cell: (c) => c.examples.map((i) => `#${i + 1}`).join(', ') },
              ]}
            />
          )}
          <StatisticsTable<Slice>
            rows={cell.slices}
            rowKey={(s) => `${s.slice}:${s.bin}`}
            testId="failure-slices"
            columns={[
              { header: 'Slice', cell: (s) => `${s.slice}: ${s.bin}` },
              { header: 'Pass rate [95% CI]', numeric: true, cell: (s) => rateText(s.rate, s.ci) },
              { header: 'n', numeric: true, cell: (s) => String(s.n) },
            ]}
          />
        </div>
      ))}
    </Paper>
  );
}
