// The served requests over time, per model id: latency percentiles, time to first token, throughput and error rate,
// and the engine's own figures (how many requests shared an engine run, its memory now).
import { Box, Paper, Stack, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import type { ServingSummary } from '../../../../shared/contract';
import { chartData, formatBytes, type Figure } from './chart-data';

const NAMES: Record<Figure, string> = {
  p50Ms: 'p50',
  p95Ms: 'p95',
  p99Ms: 'p99',
  ttftP50Ms: 'p50',
  ttftP95Ms: 'p95',
  throughput: 'tokens/s',
  errorRate: 'errors',
};

function FigureChart(props: {
  summary: ServingSummary;
  figures: Figure[];
  title: string;
  unit: string;
  testId: string;
}) {
  const data = chartData(props.summary.buckets, props.figures, NAMES);
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={props.testId} data-points={data.times.length}>
      <Typography variant="subtitle2">{props.title}</Typography>
      <LineChart
        height={220}
        xAxis={[{ data: data.times, scaleType: 'time', valueFormatter: (d: Date) => d.toLocaleTimeString() }]}
        yAxis={[{ label: props.unit }]}
        series={data.series.map((s) => ({ ...s, connectNulls: false, showMark: data.times.length < 30 }))}
        skipAnimation
      />
    </Paper>
  );
}

export function ServingCharts({ summary }: { summary: ServingSummary }) {
  return (
    <Stack spacing={2} data-testid="observability-charts">
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
        <FigureChart
          summary={summary}
          figures={['p50Ms', 'p95Ms', 'p99Ms']}
          title="Latency"
          unit="ms"
          testId="chart-latency"
        />
        <FigureChart
          summary={summary}
          figures={['ttftP50Ms', 'ttftP95Ms']}
          title="Time to first token"
          unit="ms"
          testId="chart-ttft"
        />
        <FigureChart
          summary={summary}
          figures={['throughput']}
          title="Throughput (generated tokens per second)"
          unit="tokens/s"
          testId="chart-throughput"
        />
        <FigureChart summary={summary} figures={['errorRate']} title="Error rate" unit="share" testId="chart-errors" />
      </Box>
      <Paper variant="outlined" sx={{ p: 1.5 }} data-testid="chart-batches">
        <Typography variant="subtitle2">
          Engine: requests by batch size (requests that shared one engine run); engine memory now{' '}
          <strong data-testid="engine-memory">{formatBytes(summary.engineMemoryBytes)}</strong>
        </Typography>
        {summary.batchSizes.length > 0 && (
          <BarChart
            height={180}
            xAxis={[{ data: summary.batchSizes.map((b) => String(b.size)), scaleType: 'band', label: 'batch size' }]}
            series={[{ data: summary.batchSizes.map((b) => b.requests), label: 'requests' }]}
            skipAnimation
          />
        )}
      </Paper>
    </Stack>
  );
}
