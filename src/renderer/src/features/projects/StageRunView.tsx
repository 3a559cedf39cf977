// One run of a stage as a newcomer reads it: what it changed, whether it is still running, and when done what changed
// on each metric against the stage's starting point, with its 95% interval and whether that is a clear difference.
import { Box, LinearProgress, Link, Typography } from '@mui/material';
import { useEffect } from 'react';
import type { StageRun, VersusBase } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable } from '../../components/StatisticsTable';
import { sectionHref } from '../shell/useSection';

type Row = VersusBase['rows'][number];
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;

export function StageRunView({ run }: { run: StageRun }) {
  const api = useApi();
  const state = useLoad(
    async (a) => {
      if (run.kind === 'training') {
        const job = await a.adapters.job({ id: run.id });
        return {
          state: job.state,
          progress: job.progress ? job.progress.step / Math.max(1, job.progress.totalSteps) : null,
          versus: null,
        };
      }
      const e = await a.experiments.get({ id: run.id });
      const progress = e.progress ? e.progress.done / Math.max(1, e.progress.total) : null;
      if (e.state !== 'completed') return { state: e.state, progress, versus: null };
      const results = await a.experiments.results({ id: run.id });
      return { state: e.state, progress, versus: results.versusBase ?? null, ablation: results.ablation };
    },
    [run.id],
  );
  const { reload } = state;
  useEffect(() => {
    const offs = [
      api.experiments.onChanged((e) => e.id === run.id && reload()),
      api.experiments.onProgress((e) => e.id === run.id && reload()),
      api.adapters.onJobChanged((e) => e.jobId === run.id && reload()),
      api.adapters.onProgress((e) => e.jobId === run.id && reload()),
    ];
    return () => offs.forEach((off) => off());
  }, [api, run.id, reload]);
  const s = state.data;
  return (
    <Box sx={{ my: 1 }} data-testid="project-run" data-kind={run.kind} data-state={s?.state ?? 'loading'}>
      <Typography variant="body2">
        <b>{run.kind === 'training' ? 'Training' : 'Experiment'}:</b> {run.change}{' '}
        {run.kind === 'experiment' && (
          <Link href={sectionHref('experiments', { experiment: run.id })} variant="body2">
            open
          </Link>
        )}
      </Typography>
      <ErrorAlert error={state.error} />
      {s && s.state !== 'completed' && (
        <Box sx={{ my: 1 }}>
          <Typography variant="caption" color="text.secondary">
            {s.state}
          </Typography>
          {s.progress !== null && <LinearProgress variant="determinate" value={s.progress * 100} />}
        </Box>
      )}
      {s?.versus && (
        <StatisticsTable<Row>
          rows={s.versus.rows}
          rowKey={(r) => `${r.cell}/${r.metric}`}
          testId="project-run-table"
          columns={[
            { header: 'Compared with', cell: () => s.versus?.base ?? '' },
            { header: 'Metric', cell: (r) => r.label },
            { header: 'Before', cell: (r) => pct(r.baseValue), numeric: true },
            { header: 'After', cell: (r) => pct(r.value), numeric: true },
            { header: 'Change (points)', cell: (r) => signed(r.estimate), numeric: true, strong: (r) => r.significant },
            { header: '95% CI', cell: (r) => `${signed(r.ci[0])} to ${signed(r.ci[1])}`, numeric: true },
            { header: 'Clear?', cell: (r) => (r.significant ? 'yes' : 'not clear'), testId: 'project-run-clear' },
          ]}
        />
      )}
      {s && 'ablation' in s && s.ablation && (
        <Box sx={{ mt: 1 }} data-testid="project-run-verdict">
          {s.ablation.verdict.map((line) => (
            <Typography key={line} variant="body2">
              {line}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
