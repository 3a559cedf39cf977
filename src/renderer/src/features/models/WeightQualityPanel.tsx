// Beside the weight-format picker: what 8-bit and 4-bit cost this model, as last measured (change in nats per token
// against the stored weights on a dataset's test texts, with n and the paired 95% CI), and a button that measures
// both formats again on the dataset picked (the demo's Support triage by default); below, what they cost on tasks
// (the main metric of experiments' weight format checks, paired per row, with its CI and McNemar's p).
import { Box, Button, FormControl, InputLabel, MenuItem, Select, Typography } from '@mui/material';
import { useState } from 'react';
import type { ModelRecord, TaskQuality, WeightQuality } from '../../../../shared/contract';
import { formatEffect, formatValue } from '../../../../shared/metric-format';
import { METRIC_BINARY } from '../../../../shared/metrics';
import { WEIGHT_FORMAT_NAMES } from '../../../../shared/weight-format';
import { useApi, useLive, useLoad } from '../../api';
import { useSubmit } from '../../components/useSubmit';
import { ModelErrorAlert } from './ModelErrorAlert';

const FORMATS = ['q8', 'q4'] as const;

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;

/** "8-bit: +0.0025 nats/token (95% CI [+0.0010, +0.0040]) on ..., n = 200 documents (8,057 tokens); perplexity ..." */
export function describeWeightQuality(q: WeightQuality): string {
  return (
    `${WEIGHT_FORMAT_NAMES[q.format]}: ${signed(q.delta)} nats/token (95% CI [${signed(q.low)}, ${signed(q.high)}]) ` +
    `on ${q.texts}, n = ${q.n} documents (${q.tokens.toLocaleString('en')} tokens); perplexity ` +
    `${q.storedPerplexity.toFixed(2)} as stored, ${q.perplexity.toFixed(2)} at ${WEIGHT_FORMAT_NAMES[q.format]}. ` +
    `Measured ${new Date(q.measuredAt).toLocaleString()}.`
  );
}

/**
 * "4-bit: category accuracy 81.5% → 81.0%, −0.5 points (−1.2 to 0.2), McNemar p = 0.250, on Support triage v1, test
 * split, n = 400 rows (Triage demo, full; experiment "..."); 12 of 400 outputs changed."
 */
export function describeTaskQuality(q: TaskQuality): string {
  const points = METRIC_BINARY[q.kind] ? ' points' : '';
  const pct = METRIC_BINARY[q.kind] ? '%' : '';
  return (
    `${WEIGHT_FORMAT_NAMES[q.format]}: ${q.metric} ${formatValue(q.stored, q.kind)}${pct} as stored → ` +
    `${formatValue(q.value, q.kind)}${pct}, ` +
    `${formatEffect(q.delta, q.kind)}${points} (95% CI ${formatValue(q.low, q.kind)} to ${formatValue(q.high, q.kind)})` +
    `${q.p === null ? '' : `, McNemar p = ${q.p < 0.001 ? '<0.001' : q.p.toFixed(3)}`}, on ${q.rows}, n = ${q.n} ` +
    `rows (${q.cell}; experiment "${q.experimentName}"); ${q.changed} of ${q.n} outputs changed. ` +
    `Measured ${new Date(q.measuredAt).toLocaleString()}.`
  );
}

export function WeightQualityPanel({
  model,
  onMeasuring,
}: {
  model: ModelRecord;
  onMeasuring(f: string | null): void;
}) {
  const api = useApi();
  const quality = useLoad((a) => a.models.weightQuality({ id: model.id }), [model.id]);
  const tasks = useLive(
    (a) => a.models.taskQuality({ id: model.id }),
    (a, onValue) =>
      a.models.onChanged((c) => {
        if (c.id === model.id) void a.models.taskQuality({ id: model.id }).then(onValue, () => undefined);
      }),
    [model.id],
  );
  const datasets = useLoad((a) => a.datasets.list({}), []);
  const versions = (datasets.data ?? []).flatMap((d) =>
    d.versions.slice(0, 1).map((v) => ({ id: v.id, label: `${d.name} v${v.version}`, name: d.name })),
  );
  const [picked, setPicked] = useState<string | null>(null);
  const versionId = picked ?? (versions.find((v) => v.name === 'Support triage') ?? versions[0])?.id ?? null;
  const { busy, error, submit } = useSubmit();
  const measure = () =>
    submit(async () => {
      if (versionId === null) return;
      try {
        for (const format of FORMATS) {
          onMeasuring(format);
          await api.models.measureWeightQuality({ id: model.id, format, datasetVersionId: versionId });
        }
      } finally {
        onMeasuring(null);
        quality.reload();
      }
    });
  const last = FORMATS.map((f) => (quality.data ?? []).find((q) => q.format === f)).filter((q) => q !== undefined);
  return (
    <Box sx={{ mt: 1 }} data-testid="weight-quality">
      <Typography variant="subtitle2" component="h4">
        On text (perplexity of test messages)
      </Typography>
      {last.length === 0 ? (
        <Typography variant="body2" color="text.secondary" data-testid="weight-quality-none">
          Not measured yet: measure what 8-bit and 4-bit cost this model on a dataset&apos;s test split.
        </Typography>
      ) : (
        last.map((q) => (
          <Typography key={q.format} variant="body2" data-testid={`weight-quality-${q.format}`}>
            {describeWeightQuality(q)}
          </Typography>
        ))
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 1 }}>
        <FormControl size="small" sx={{ minWidth: 240 }} disabled={busy || versions.length === 0}>
          <InputLabel id={`quality-dataset-${model.id}`}>Measure on</InputLabel>
          <Select
            labelId={`quality-dataset-${model.id}`}
            label="Measure on"
            value={versionId ?? ''}
            onChange={(e) => setPicked(e.target.value)}
            data-testid="weight-quality-dataset"
          >
            {versions.map((v) => (
              <MenuItem key={v.id} value={v.id}>
                {v.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <Button
          size="small"
          variant="outlined"
          disabled={busy || versionId === null || !model.available}
          onClick={() => void measure()}
          data-testid="weight-quality-measure"
        >
          {busy ? 'Measuring…' : 'Measure 8-bit and 4-bit'}
        </Button>
      </Box>
      {error !== undefined && <ModelErrorAlert error={error} testId="weight-quality-error" />}
      <Typography variant="subtitle2" component="h4" sx={{ mt: 1 }}>
        On tasks (experiments&apos; weight format checks)
      </Typography>
      {(tasks.data ?? []).map((q) => (
        <Typography
          key={`${q.format}/${q.datasetVersionId}/${q.cell}/${q.metric}`}
          variant="body2"
          data-testid={`task-quality-${q.format}`}
        >
          {describeTaskQuality(q)}
        </Typography>
      ))}
      {(tasks.data ?? []).length === 0 && (
        <Typography variant="body2" color="text.secondary" data-testid="task-quality-none">
          Not measured yet: open an experiment that uses this model and use its Weight formats tab.
        </Typography>
      )}
    </Box>
  );
}
