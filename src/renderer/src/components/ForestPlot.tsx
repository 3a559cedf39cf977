// A forest plot: one row per estimate with its label, point, 95% interval drawn as a whisker, and n, against a zero
// line, so intervals are seen without hovering (a bar chart hides them). Inline SVG that scales with its box.
import { Box, useTheme } from '@mui/material';

export interface ForestRow {
  readonly label: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

const ROW = 28;
const LABEL_W = 260;
const PLOT_W = 420;
const RIGHT_W = 170;
const TOP = 8;
const AXIS = 36;

/** Round tick steps (1, 2, 5 x 10^k) covering [min, max] with about five ticks. */
function ticks(min: number, max: number): number[] {
  const span = max - min || 1;
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

export function ForestPlot({
  rows,
  axisLabel,
  format = (v) => v.toFixed(1),
  testId,
}: {
  rows: readonly ForestRow[];
  axisLabel: string;
  format?: (v: number) => string;
  testId?: string;
}) {
  const theme = useTheme();
  const lo = Math.min(0, ...rows.map((r) => r.low));
  const hi = Math.max(0, ...rows.map((r) => r.high));
  const pad = (hi - lo || 1) * 0.05;
  const [min, max] = [lo - pad, hi + pad];
  const x = (v: number): number => LABEL_W + ((v - min) / (max - min)) * PLOT_W;
  const height = TOP + rows.length * ROW + AXIS;
  const width = LABEL_W + PLOT_W + RIGHT_W;
  const text = theme.palette.text.primary;
  const muted = theme.palette.text.secondary;
  return (
    <Box
      component="svg"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${axisLabel}, with 95% intervals`}
      sx={{ width: '100%', maxWidth: width, display: 'block' }}
      data-testid={testId}
    >
      <line x1={x(0)} x2={x(0)} y1={TOP} y2={TOP + rows.length * ROW} stroke={muted} strokeDasharray="4 3" />
      {rows.map((r, i) => {
        const y = TOP + i * ROW + ROW / 2;
        const color =
          r.low > 0 ? theme.palette.success.main : r.high < 0 ? theme.palette.error.main : theme.palette.primary.main;
        return (
          <g key={i} data-testid="forest-row">
            <text x={LABEL_W - 8} y={y + 4} textAnchor="end" fontSize={12} fill={text}>
              {r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label}
              <title>{r.label}</title>
            </text>
            <line x1={x(r.low)} x2={x(r.high)} y1={y} y2={y} stroke={color} strokeWidth={2} />
            <line x1={x(r.low)} x2={x(r.low)} y1={y - 5} y2={y + 5} stroke={color} strokeWidth={2} />
            <line x1={x(r.high)} x2={x(r.high)} y1={y - 5} y2={y + 5} stroke={color} strokeWidth={2} />
            <circle cx={x(r.value)} cy={y} r={4} fill={color} />
            <text
              x={LABEL_W + PLOT_W + 8}
              y={y + 4}
              fontSize={12}
              fill={muted}
            >{`${format(r.value)} [${format(r.low)}, ${format(r.high)}] n=${r.n}`}</text>
          </g>
        );
      })}
      {ticks(min, max).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={TOP + rows.length * ROW} y2={TOP + rows.length * ROW + 4} stroke={muted} />
          <text x={x(t)} y={TOP + rows.length * ROW + 16} textAnchor="middle" fontSize={11} fill={muted}>
            {format(t)}
          </text>
        </g>
      ))}
      <text x={LABEL_W + PLOT_W / 2} y={height - 4} textAnchor="middle" fontSize={12} fill={text}>
        {axisLabel}
      </text>
    </Box>
  );
}
