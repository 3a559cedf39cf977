// A project's failure categories from stage to stage: each category's rate in the cell each stage measured, with its
// Wilson 95% CI and n, and its change from the stage before on the rows both measured (McNemar p).
import { Box, Paper, Typography } from '@mui/material';
import type { StageFailureModes } from '../../../../shared/contract';
import { STAGE_LABELS } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable, type StatColumn } from '../../components/StatisticsTable';
import { changeText, rateText } from './format';

type Category = StageFailureModes['categories'][number];

/** `reloadKey` changes when the project does (a run added, a stage done). */
export function StageFailureModesPanel({
  projectId,
  projectName,
  reloadKey,
}: {
  projectId: string;
  projectName: string;
  reloadKey: string;
}) {
  const modes = useLoad((a) => a.robustness.projectFailureModes({ id: projectId }), [projectId, reloadKey]);
  if (modes.error !== undefined) return <ErrorAlert error={modes.error} testId="stage-failures-error" />;
  const view = modes.data;
  if (view === undefined || view.columns.length === 0) return null;
  const columns: StatColumn<Category>[] = [
    { header: 'Category', cell: (c) => c.category },
    ...view.columns.map((col, i): StatColumn<Category> => ({
      key: `${col.experimentId}:${col.specializationId}`,
      header: (
        <>
          {STAGE_LABELS[col.stage]}
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
            {col.label.replace(`${projectName}: `, '')}
          </Typography>
        </>
      ),
      numeric: true,
      testId: `stage-failure-${i}`,
      strong: (c) => (c.changes[i - 1]?.p ?? 1) < 0.05,
      cell: (c) => {
        const r = c.rates[i];
        const change = i === 0 ? undefined : c.changes[i - 1];
        return (
          <>
            {r ? rateText(r.rate, r.ci) : '—'}
            <Box component="span" sx={{ display: 'block', typography: 'caption', color: 'text.secondary' }}>
              {r ? `${r.count} of ${r.n}` : ''}
              {change !== undefined && (
                <Box component="span" sx={{ display: 'block' }}>
                  {change === null ? 'no shared rows' : changeText(change)}
                </Box>
              )}
            </Box>
          </>
        );
      },
    })),
  ];
  return (
    <Paper variant="outlined" sx={{ p: 2, mt: 2 }} data-testid="stage-failures">
      <Typography variant="h6" component="h3">
        Failure modes across stages
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Each category&apos;s rate among the outputs of the cell each stage measured, with its 95% interval; below it,
        the change from the stage before on the rows both measured (McNemar p; bold: p &lt; 0.05).
      </Typography>
      {view.categories.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No output of any stage falls in a category.
        </Typography>
      ) : (
        <StatisticsTable<Category>
          rows={view.categories}
          rowKey={(c) => c.category}
          testId="stage-failures-table"
          rowTestId="stage-failure-category"
          columns={columns}
        />
      )}
    </Paper>
  );
}
