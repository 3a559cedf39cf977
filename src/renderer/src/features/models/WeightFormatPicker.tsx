// The precision the selected model's weights run at: as stored, 8-bit or 4-bit. Choosing a quantized format makes the
// model's quantized copy first (progress from models.onWeightsProgress); the choice applies from the next run on.
// Below it, what each format costs this model as last measured (WeightQualityPanel).
import { Box, FormControl, InputLabel, LinearProgress, MenuItem, Select, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { WEIGHT_FORMAT_LABELS, WEIGHT_FORMATS, WeightFormat } from '../../../../shared/weight-format';
import { useApi } from '../../api';
import { useSubmit } from '../../components/useSubmit';
import { ModelErrorAlert } from './ModelErrorAlert';
import { WeightQualityPanel } from './WeightQualityPanel';

const HELP: Record<WeightFormat, string> = {
  stored: 'Full precision: the weights as the checkpoint stores them (F16 and BF16 are widened to F32 when loaded).',
  q8: 'About 4x smaller in memory than F32 and about 2-3x faster to generate on a CPU; outputs stay very close.',
  q4: 'About 7x smaller than F32 and the fastest to generate; outputs drift more (check your evaluation).',
};

export function WeightFormatPicker({ model, onChanged }: { model: ModelRecord; onChanged: (m: ModelRecord) => void }) {
  const api = useApi();
  const [target, setTarget] = useState<WeightFormat>(model.weightFormat);
  const [progress, setProgress] = useState<number | null>(null);
  /** The format whose quality is being measured (its progress arrives as onWeightsProgress too). */
  const [measuring, setMeasuring] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit();
  const pending = busy ? target : null; // the format being made
  useEffect(
    () =>
      api.models.onWeightsProgress((p) => {
        if (p.id === model.id && p.total > 0) setProgress((100 * p.done) / p.total);
      }),
    [api, model.id],
  );

  const choose = (format: WeightFormat) =>
    submit(async () => {
      setTarget(format);
      setProgress(null);
      onChanged(await api.models.setWeightFormat({ id: model.id, format }));
    });

  return (
    <Box sx={{ mt: 2 }} data-testid="weight-format">
      <FormControl size="small" sx={{ minWidth: 300 }} disabled={busy || !model.available}>
        <InputLabel id={`weights-${model.id}`}>Weights</InputLabel>
        <Select
          labelId={`weights-${model.id}`}
          label="Weights"
          value={model.weightFormat}
          onChange={(e) => void choose(WeightFormat.parse(e.target.value))}
          data-testid="weight-format-select"
        >
          {WEIGHT_FORMATS.map((f) => (
            <MenuItem key={f} value={f} data-testid={`weight-format-${f}`}>
              {WEIGHT_FORMAT_LABELS[f]}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }} data-testid="weight-format-help">
        {HELP[pending ?? model.weightFormat]}
      </Typography>
      {pending !== null && pending !== 'stored' && (
        <Box sx={{ mt: 1 }} data-testid="weight-format-progress">
          <Typography variant="caption">
            Making the {WEIGHT_FORMAT_LABELS[pending]} copy{progress === null ? '' : `: ${Math.floor(progress)}%`}
          </Typography>
          <LinearProgress variant={progress === null ? 'indeterminate' : 'determinate'} value={progress ?? 0} />
        </Box>
      )}
      {error !== undefined && <ModelErrorAlert error={error} testId="weight-format-error" />}
      <WeightQualityPanel
        model={model}
        onMeasuring={(f) => {
          setMeasuring(f);
          setProgress(null);
        }}
      />
      {measuring !== null && (
        <Box sx={{ mt: 1 }} data-testid="weight-quality-progress">
          <Typography variant="caption">
            Scoring the test texts as stored and at {measuring === 'q8' ? '8-bit' : '4-bit'}
            {progress === null ? '' : `: ${Math.floor(progress)}%`}
          </Typography>
          <LinearProgress variant={progress === null ? 'indeterminate' : 'determinate'} value={progress ?? 0} />
        </Box>
      )}
    </Box>
  );
}
