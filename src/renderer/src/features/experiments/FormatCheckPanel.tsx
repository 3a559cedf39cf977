// An experiment's weight format check: what 8-bit and 4-bit weights change on this task. "Check 8-bit and 4-bit"
// generates every cell again at both formats (the experiment's run: progress and Cancel are in its header; outputs at
// the stored precision are reused) and the table pairs each row with the stored precision's: per cell and metric the
// value at both, the change with its paired 95% CI, McNemar's p for pass/fail metrics, and how many outputs changed;
// a chart shows the main metric's changes with their CIs around zero.
import { Alert, Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import type { Experiment, FormatComparison, FormatMetric } from '../../../../shared/contract';
import { WEIGHT_FORMAT_NAMES } from '../../../../shared/weight-format';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { StatisticsTable, type StatColumn } from '../../components/StatisticsTable';
import { useSubmit } from '../../components/useSubmit';
import { formatEffect, formatInterval, formatP, formatValue, metricUnit } from './format';
import { Section } from './ResultTables';
import { EffectsChart } from './ResultCharts';

type Row = {
  key: string;
  format: FormatComparison['formats'][number]['format'];
  complete: boolean;
  cell: FormatComparison['formats'][number]['cells'][number];
};

/** "+0.5 (−1.2 to 2.1)": the change at the format against the stored precision, with its paired CI. */
function change(m: FormatMetric | undefined): string {
  if (!m || m.diff === null) return '—';
  return m.ci ? `${formatEffect(m.diff, m.kind)} ${formatInterval(m.ci, m.kind)}` : formatEffect(m.diff, m.kind);
}

/** Whether the change is a significant loss (McNemar's p for pass/fail metrics, else the CI excluding zero). */
function worse(m: FormatMetric | undefined): boolean {
  if (!m || m.diff === null || m.ci === null) return false;
  const down = m.higherIsBetter ? m.diff < 0 : m.diff > 0;
  const significant = m.p !== null ? m.p < 0.05 : m.ci[0] > 0 || m.ci[1] < 0;
  return down && significant;
}

export function FormatCheckPanel({ experiment: e, version }: { experiment: Experiment; version: number }) {
  const api = useApi();
  const { busy, error, submit } = useSubmit();
  const comparison = useLoad((a) => a.experiments.formatComparison({ id: e.id }), [e.id, version]);
  const running = e.state === 'running';
  if (e.spec.remote)
    return (
      <Alert severity="info" data-testid="format-check-remote">
        A server generated this experiment&apos;s outputs, at its own precision: weight formats are this
        computer&apos;s. Check them on an experiment that runs here.
      </Alert>
    );
  const rows: Row[] = (comparison.data?.formats ?? []).flatMap((f) =>
    f.cells.map((cell) => ({
      key: `${f.format}/${cell.specializationId}`,
      format: f.format,
      complete: f.complete,
      cell,
    })),
  );
  const metrics = comparison.data?.formats[0]?.cells[0]?.metrics ?? [];
  const columns: StatColumn<Row>[] = [
    { header: 'Format', cell: (r) => `${WEIGHT_FORMAT_NAMES[r.format]}${r.complete ? '' : ' (so far)'}` },
    { header: 'Cell', cell: (r) => r.cell.label },
    { header: 'n', numeric: true, cell: (r) => r.cell.compared },
    ...metrics.flatMap((m, i): StatColumn<Row>[] => [
      {
        key: `${i}-values`,
        header: `${m.label}${metricUnit(m.kind) === '%' ? ' (%)' : ''}: stored → format`,
        numeric: true,
        cell: (r) => {
          const x = r.cell.metrics[i];
          return x ? `${formatValue(x.stored, x.kind)} → ${formatValue(x.value, x.kind)}` : '—';
        },
      },
      {
        key: `${i}-change`,
        header: 'change (95% CI)',
        numeric: true,
        strong: (r) => worse(r.cell.metrics[i]),
        cell: (r) => change(r.cell.metrics[i]),
        testId: i === 0 ? 'format-check-change' : undefined,
      },
      ...(m.binary
        ? [
            {
              key: `${i}-p`,
              header: 'McNemar p',
              numeric: true,
              cell: (r: Row) => {
                const p = r.cell.metrics[i]?.p;
                return p === null || p === undefined ? '—' : formatP(p);
              },
            },
          ]
        : []),
    ]),
    { header: 'outputs changed', numeric: true, cell: (r) => `${r.cell.changed} of ${r.cell.compared}` },
  ];
  return (
    <Stack spacing={2} data-testid="format-check">
      <Section
        title="Weight formats on this task"
        note={
          'Every cell generated again with 8-bit and 4-bit weights, each row paired with the same row at the stored ' +
          "precision. The models' own format settings are not changed; outputs already stored are reused."
        }
      >
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Button
            variant="outlined"
            disabled={busy || running}
            onClick={() => void submit(() => api.experiments.checkFormats({ id: e.id, formats: ['q8', 'q4'] }))}
            data-testid="format-check-run"
          >
            {rows.length > 0 ? 'Check again' : 'Check 8-bit and 4-bit'}
          </Button>
          {running && (
            <Typography variant="body2" color="text.secondary">
              Running: progress and Cancel are above.
            </Typography>
          )}
        </Stack>
        {error !== undefined && <ErrorAlert error={error} testId="format-check-error" />}
        {comparison.error !== undefined ? (
          <ErrorAlert error={comparison.error} testId="format-check-load-error" />
        ) : !comparison.data ? (
          <CircularProgress aria-label="Loading the format comparison" />
        ) : rows.length === 0 ? (
          <Typography variant="body2" color="text.secondary" data-testid="format-check-none">
            Not checked yet.
          </Typography>
        ) : (
          <Box>
            {metrics[0] && (
              <EffectsChart
                bars={rows.map((r) => ({
                  label: `${WEIGHT_FORMAT_NAMES[r.format]} · ${r.cell.label}`,
                  value: r.cell.metrics[0]?.diff ?? null,
                  ci: r.cell.metrics[0]?.ci ?? null,
                }))}
                kind={metrics[0].kind}
                higherIsBetter={metrics[0].higherIsBetter}
                quantity={`${metrics[0].label}: change against the stored precision`}
              />
            )}
            <StatisticsTable
              rows={rows}
              columns={columns}
              rowKey={(r) => r.key}
              testId="format-check-table"
              rowTestId="format-check-row"
            />
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
              Changes in bold are significant losses (McNemar p &lt; 0.05 for pass/fail metrics, else a CI below zero).
              Paired bootstrap CIs, {comparison.data.rows} rows, seed {comparison.data.seed}.
            </Typography>
          </Box>
        )}
      </Section>
    </Stack>
  );
}
