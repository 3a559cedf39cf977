// Train and validation loss over optimizer steps (MUI X LineChart); used live during training and in the details.
import { Box, Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import type { LossHistory } from '../../../../shared/contract';

export function LossChart({ history, testId }: { history: LossHistory; testId: string }) {
  const steps = [...new Set([...history.train, ...history.validation].map((p) => p.step))].sort((a, b) => a - b);
  const at = (points: LossHistory['train']) => {
    const byStep = new Map(points.map((p) => [p.step, p.loss]));
    return steps.map((s) => byStep.get(s) ?? null);
  };
  return (
    <Box data-testid={testId} data-points={history.train.length}>
      {steps.length === 0 ? (
        <Typography color="text.secondary" sx={{ p: 2 }}>
          No loss recorded yet.
        </Typography>
      ) : (
        <LineChart
          height={240}
          xAxis={[{ data: steps, label: 'step', scaleType: 'linear' }]}
          series={[
            { data: at(history.train), label: 'train loss', showMark: false, connectNulls: true },
            ...(history.validation.length > 0
              ? [{ data: at(history.validation), label: 'validation loss', connectNulls: true }]
              : []),
          ]}
          skipAnimation
        />
      )}
    </Box>
  );
}
