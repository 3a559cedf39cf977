// The results' tables: per cell and metric the value with its 95% CI, n and pass/fail; the ablation's effects and
// paired comparisons (estimate, CI, p, Holm p, test); latency and tokens.
import { Box, Chip, Paper, Tooltip, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { Ablation, CellResult } from '../../../../shared/contract';
import type { MetricSpec } from '../../../../shared/metrics';
import { StatisticsTable, type StatColumn } from '../../components/StatisticsTable';
import {
  formatEffect,
  formatInterval,
  formatMs,
  formatNumber,
  formatP,
  formatValue,
  metricUnit,
  termLabel,
} from './format';

export function Section({
  title,
  children,
  testId,
  note,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  note?: string;
}) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 500 }}>
        {title}
      </Typography>
      {note && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
          {note}
        </Typography>
      )}
      <Box sx={{ mt: note ? 0 : 1 }}>{children}</Box>
    </Paper>
  );
}

export function PassChip({ pass }: { pass: boolean | null }) {
  if (pass === null) return null;
  return (
    <Chip
      size="small"
      color={pass ? 'success' : 'error'}
      label={pass ? 'pass' : 'fail'}
      sx={{ ml: 1 }}
      data-testid="pass-chip"
      data-pass={pass}
    />
  );
}

export function MetricsTable({ cells, metrics }: { cells: readonly CellResult[]; metrics: readonly MetricSpec[] }) {
  const columns: StatColumn<CellResult>[] = [
    { header: 'Cell', cell: (c) => c.cell.label },
    ...(cells[0]?.metrics ?? []).map((m0, i): StatColumn<CellResult> => {
      const spec = metrics[i];
      const kind = spec?.kind ?? 'exact_match';
      const unit = spec ? metricUnit(spec.kind, spec.kind === 'length' ? spec.unit : undefined) : '';
      const threshold = spec?.threshold;
      return {
        key: String(m0.metric),
        numeric: true,
        testId: 'metric-value',
        header: (
          <>
            {m0.label}
            {unit ? ` (${unit})` : ''}
            {i === 0 && <Chip size="small" label="primary" sx={{ ml: 1 }} />}
            {threshold !== undefined && spec && (
              <Typography variant="caption" color="text.secondary" component="div">
                threshold {spec.kind === 'length' ? `≤ ${threshold}` : `≥ ${formatValue(threshold, spec.kind)}`}
              </Typography>
            )}
          </>
        ),
        cell: (c) => {
          const m = c.metrics[i];
          if (!m) return null;
          return (
            <>
              <Tooltip
                title={`n = ${m.n}${m.macroF1 !== undefined ? ` · macro-F1 ${formatValue(m.macroF1, kind)}` : ''}`}
              >
                <span>
                  {formatValue(m.value, kind)}
                  {m.ci && (
                    <Box component="span" sx={{ color: 'text.secondary' }}>
                      {' '}
                      {formatInterval(m.ci, kind)}
                    </Box>
                  )}
                </span>
              </Tooltip>
              <PassChip pass={m.pass} />
              {m.judge && (
                <Typography variant="caption" color="text.secondary" component="div" data-testid="metric-judge">
                  n = {m.n} of {m.judge.answered} answers
                  {m.judge.unparseable > 0 ? ` · ${m.judge.unparseable} unparseable` : ''} · judge {m.judge.name}
                </Typography>
              )}
              {m.perField && (
                <Typography variant="caption" color="text.secondary" component="div">
                  {Object.entries(m.perField)
                    .map(([f, v]) => `${f} ${formatValue(v, kind)}`)
                    .join(' · ')}
                </Typography>
              )}
            </>
          );
        },
      };
    }),
    { header: 'n', numeric: true, cell: (c) => c.n },
  ];
  return (
    <StatisticsTable
      rows={cells}
      columns={columns}
      rowKey={(c) => c.cell.specializationId}
      testId="metrics-table"
      rowTestId="metrics-row"
    />
  );
}

type Tested = {
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly p: number;
  readonly pHolm: number;
  readonly test: string;
};

/**
 * Estimate, 95% CI, p and Holm p (bold when significant at 0.05), and the test: the columns of effects and comparisons.
 */
function testedColumns<R extends Tested>(
  first: StatColumn<R>,
  estimate: string,
  kind: MetricSpec['kind'],
): StatColumn<R>[] {
  return [
    first,
    { header: estimate, numeric: true, cell: (r) => formatEffect(r.estimate, kind) },
    { header: '95% CI', numeric: true, cell: (r) => formatInterval(r.ci, kind) },
    { header: 'p', numeric: true, cell: (r) => formatP(r.p) },
    { header: 'Holm p', numeric: true, cell: (r) => formatP(r.pHolm), strong: (r) => r.pHolm < 0.05 },
    { header: 'Test', cell: (r) => r.test },
  ];
}

export function EffectsTable({ ablation, kind }: { ablation: Ablation; kind: MetricSpec['kind'] }) {
  type Effect = Ablation['effects'][number];
  const first: StatColumn<Effect> = {
    header: 'Effect',
    cell: (e) => (
      <>
        {termLabel(e.terms)}
        {e.terms.length > 1 && (
          <Typography variant="caption" color="text.secondary">
            {' '}
            interaction
          </Typography>
        )}
      </>
    ),
  };
  return (
    <StatisticsTable
      rows={ablation.effects}
      columns={testedColumns(first, 'Estimate', kind)}
      rowKey={(e) => e.terms.join('+')}
      testId="effects-table"
      rowTestId="effect-row"
    />
  );
}

export function ComparisonsTable({ ablation, kind }: { ablation: Ablation; kind: MetricSpec['kind'] }) {
  type Comparison = Ablation['comparisons'][number];
  const first: StatColumn<Comparison> = { header: 'Comparison', cell: (c) => c.label };
  return (
    <StatisticsTable
      rows={ablation.comparisons}
      columns={testedColumns(first, 'Difference', kind)}
      rowKey={(c) => c.label}
      testId="comparisons-table"
    />
  );
}

export function CostTable({ cells }: { cells: readonly CellResult[] }) {
  const columns: StatColumn<CellResult>[] = [
    { header: 'Cell', cell: (c) => c.cell.label },
    { header: 'Prompt tokens', numeric: true, cell: (c) => formatNumber(c.meanPromptTokens) },
    { header: 'Output tokens', numeric: true, cell: (c) => formatNumber(c.meanOutputTokens) },
    { header: 'Time to first token', numeric: true, cell: (c) => formatMs(c.meanTimeToFirstTokenMs) },
    { header: 'Total latency', numeric: true, cell: (c) => formatMs(c.meanTotalMs) },
    { header: 'Tokens/s', numeric: true, cell: (c) => formatNumber(c.meanTokensPerSecond) },
  ];
  return <StatisticsTable rows={cells} columns={columns} rowKey={(c) => c.cell.specializationId} testId="cost-table" />;
}
