// The results' charts (MUI X BarChart): cell means of the primary metric with their 95% CI whiskers, and the
// ablation's effects with their CIs around a zero line. The whiskers are an SVG layer drawn inside the chart with its
// own scales (useXScale / useYScale), so they sit exactly on the bars whatever the size.
import { Box, Typography, useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine';
import { useXScale, useYScale } from '@mui/x-charts/hooks';
import type { MetricKind } from '../../../../shared/metrics';
import { METRIC_BINARY } from '../../../../shared/metrics';
import { formatEffect, formatInterval, formatValue, isFraction, scaleOf } from './format';

export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly ci: readonly [number, number] | null;
}

const CATEGORY_AXIS = 'categories';
const VALUE_AXIS = 'values';
const ROW_HEIGHT = 44;

/** Horizontal CI whiskers: one line with end caps per category, in the chart's own coordinates. */
function Whiskers({ bars, scale, color }: { bars: readonly Bar[]; scale: number; color: string }) {
  const y = useYScale<'band'>(CATEGORY_AXIS);
  const x = useXScale<'linear'>(VALUE_AXIS);
  const cap = Math.min(10, y.bandwidth() / 3);
  return (
    <g data-testid="ci-whiskers" aria-hidden>
      {bars.map((b) => {
        if (!b.ci) return null;
        const top = y(b.label);
        if (top === undefined) return null;
        const mid = top + y.bandwidth() / 2;
        const x1 = x(b.ci[0] * scale);
        const x2 = x(b.ci[1] * scale);
        return (
          <g key={b.label} stroke={color} strokeWidth={1.5}>
            <line x1={x1} x2={x2} y1={mid} y2={mid} />
            <line x1={x1} x2={x1} y1={mid - cap} y2={mid + cap} />
            <line x1={x2} x2={x2} y1={mid - cap} y2={mid + cap} />
          </g>
        );
      })}
    </g>
  );
}

function chartHeight(n: number): number {
  return 80 + n * ROW_HEIGHT;
}

/** Cell means with 95% CIs; a dashed line at the threshold when the metric has one. */
export function CellMeansChart({
  bars,
  kind,
  metric,
  threshold,
}: {
  bars: readonly Bar[];
  kind: MetricKind;
  metric: string;
  threshold: number | undefined;
}) {
  const theme = useTheme();
  const scale = scaleOf(kind).factor;
  const top = Math.max(...bars.flatMap((b) => [b.value ?? 0, b.ci?.[1] ?? 0]), threshold ?? 0);
  // Scores have a fixed range (0-100% or 0-1) so charts compare across experiments; lengths get a round maximum.
  const max = isFraction(kind) ? scale : niceMax(top * scale);
  return (
    <Box data-testid="cell-means-chart" data-bars={bars.length}>
      <BarChart
        layout="horizontal"
        height={chartHeight(bars.length)}
        yAxis={[{ id: CATEGORY_AXIS, scaleType: 'band', data: bars.map((b) => b.label), width: 'auto' }]}
        xAxis={[{ id: VALUE_AXIS, min: 0, max, label: `${metric}${METRIC_BINARY[kind] ? ' (%)' : ''}` }]}
        series={[
          {
            data: bars.map((b) => (b.value === null ? null : b.value * scale)),
            label: metric,
            color: theme.palette.primary.main,
            valueFormatter: (_v, { dataIndex }) => {
              const b = bars[dataIndex];
              return b ? `${formatValue(b.value, kind)}${b.ci ? ` ${formatInterval(b.ci, kind)}` : ''}` : null;
            },
          },
        ]}
        hideLegend
        skipAnimation
        margin={{ right: 24 }}
      >
        <Whiskers bars={bars} scale={scale} color={theme.palette.text.primary} />
        {threshold !== undefined && (
          <ChartsReferenceLine
            x={threshold * scale}
            axisId={VALUE_AXIS}
            label="threshold"
            labelAlign="end"
            labelStyle={{ fontSize: 11 }}
            lineStyle={{ strokeDasharray: '4 4', stroke: theme.palette.warning.main }}
          />
        )}
      </BarChart>
    </Box>
  );
}

/** Effects (main effects and interactions) with 95% CIs, around zero: green helps, red hurts (for higher-is-better). */
export function EffectsChart({
  bars,
  kind,
  higherIsBetter,
  quantity = 'effect',
}: {
  bars: readonly Bar[];
  kind: MetricKind;
  higherIsBetter: boolean;
  /** What the bars measure, for the axis ("effect", "change at the format"). */
  quantity?: string;
}) {
  const theme = useTheme();
  const scale = scaleOf(kind).factor;
  const reach = niceMax(
    Math.max(
      1e-3,
      ...bars.flatMap((b) => [Math.abs(b.value ?? 0), Math.abs(b.ci?.[0] ?? 0), Math.abs(b.ci?.[1] ?? 0)]),
    ) *
      scale *
      1.05,
  );
  const good = theme.palette.success.main;
  const bad = theme.palette.error.main;
  if (bars.length === 0) return <Typography color="text.secondary">No effects to show.</Typography>;
  return (
    <Box data-testid="effects-chart" data-bars={bars.length}>
      <BarChart
        layout="horizontal"
        height={chartHeight(bars.length)}
        yAxis={[{ id: CATEGORY_AXIS, scaleType: 'band', data: bars.map((b) => b.label), width: 'auto' }]}
        xAxis={[
          { id: VALUE_AXIS, min: -reach, max: reach, label: `${quantity}${METRIC_BINARY[kind] ? ' (points)' : ''}` },
        ]}
        series={[
          {
            data: bars.map((b) => (b.value === null ? null : b.value * scale)),
            label: 'effect',
            colorGetter: ({ value }) => ((value ?? 0) >= 0 === higherIsBetter ? good : bad),
            valueFormatter: (_v, { dataIndex }) => {
              const b = bars[dataIndex];
              return b && b.value !== null
                ? `${formatEffect(b.value, kind)}${b.ci ? ` ${formatInterval(b.ci, kind)}` : ''}`
                : null;
            },
          },
        ]}
        hideLegend
        skipAnimation
        margin={{ right: 24 }}
      >
        <ChartsReferenceLine x={0} axisId={VALUE_AXIS} lineStyle={{ stroke: theme.palette.text.secondary }} />
        <Whiskers bars={bars} scale={scale} color={theme.palette.text.primary} />
      </BarChart>
    </Box>
  );
}

/** A round upper bound for an axis: 1, 2, 2.5, 5 times a power of ten. */
export function niceMax(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (x <= m * p) return m * p;
  return 10 * p;
}
