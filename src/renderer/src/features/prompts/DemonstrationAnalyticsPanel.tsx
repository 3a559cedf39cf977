// Demonstration analytics for one set: with a template and a model, the leave-one-out contribution of each of its
// demonstrations on a validation sample (chrF with all demonstrations minus without it, mean over the rows that got
// it, with n and a 95% bootstrap CI), as a forest plot labelled by each example's text: right of zero it helps.
import { Box, Button, Collapse, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { DemonstrationAnalytics, DemonstrationSetVersion } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ForestPlot } from '../../components/ForestPlot';
import { useModelList } from '../models/useModels';
import { useSubmit } from '../../components/useSubmit';

export function DemonstrationAnalyticsPanel({ set }: { set: DemonstrationSetVersion }) {
  const [open, setOpen] = useState(false);
  return (
    <Box sx={{ mt: 1 }}>
      <Button size="small" onClick={() => setOpen((o) => !o)} data-testid="demo-analytics-toggle">
        {open ? 'Hide analytics' : 'Which examples help?'}
      </Button>
      <Collapse in={open} unmountOnExit>
        <Analytics set={set} />
      </Collapse>
    </Box>
  );
}

function Analytics({ set }: { set: DemonstrationSetVersion }) {
  const api = useApi();
  const templates = useLoad((a) => a.templates.list({}), []);
  const models = useModelList();
  const [templateId, setTemplateId] = useState('');
  const [modelId, setModelId] = useState('');
  const [sample, setSample] = useState(8);
  const { busy: running, error, submit } = useSubmit();
  const [result, setResult] = useState<DemonstrationAnalytics | null>(null);
  // Each example is named by the start of its text (its row key when the row is not among the first 1,000).
  const trainRows = useLoad(
    (a) => a.datasets.rows({ versionId: set.datasetVersionId, split: 'train', limit: 1000 }),
    [set.datasetVersionId],
  );
  const labels = new Map((trainRows.data?.rows ?? []).map((r) => [r.key, snippet(r.data)]));
  const usable = (models.data ?? []).filter((m) => m.available);
  // Templates that show examples are the ones worth measuring; the first of them is the default.
  const withExamples = (templates.data ?? []).filter((t) => t.latest.fields.includes('examples'));
  const template = withExamples.find((t) => t.id === templateId) ?? withExamples[0];
  const model = usable.find((m) => m.id === modelId) ?? usable[0];

  const run = () => {
    if (!template || !model) return;
    void submit(async () =>
      setResult(
        await api.templates.demonstrationAnalytics({
          templateVersionId: template.latest.id,
          demonstrationSetVersionId: set.id,
          modelId: model.id,
          sample,
        }),
      ),
    );
  };

  return (
    <Stack spacing={1.5} sx={{ mt: 1 }} data-testid="demo-analytics">
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <TextField
          select
          size="small"
          label="Template"
          value={template?.id ?? ''}
          onChange={(e) => setTemplateId(e.target.value)}
          sx={{ minWidth: 200 }}
          helperText={withExamples.length === 0 ? 'No template reads examples yet.' : undefined}
        >
          {withExamples.map((t) => (
            <MenuItem key={t.id} value={t.id}>
              {t.name} v{t.latest.version}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Model"
          value={model?.id ?? ''}
          onChange={(e) => setModelId(e.target.value)}
          sx={{ minWidth: 160 }}
        >
          {usable.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {m.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="number"
          label="Validation rows"
          value={sample}
          sx={{ width: 130 }}
          onChange={(e) => setSample(Math.max(1, Math.min(32, Math.floor(Number(e.target.value) || 1))))}
        />
        <Button
          variant="outlined"
          onClick={() => void run()}
          disabled={running || !template || !model}
          data-testid="demo-analytics-run"
        >
          Measure
        </Button>
      </Stack>
      {running && <LinearProgress aria-label="Measuring the demonstrations" />}
      <ErrorAlert error={error} testId="demo-analytics-error" />
      {result && (
        <Box data-testid="demo-analytics-result">
          <Typography variant="body2">
            {result.metric} with every example: {(result.baseline * 100).toFixed(1)} (n = {result.n} validation rows).
            Each row: the score with all examples minus without that one, with its 95% interval. Right of zero the
            example helps; an interval across zero means no clear effect.
          </Typography>
          <ForestPlot
            testId="demo-analytics-plot"
            axisLabel={`${result.metric} with all examples minus without this one (points)`}
            rows={result.demos.map((d, i) => ({
              label: `#${i + 1} ${labels.get(d.rowKey) ?? d.rowKey}`,
              value: d.contribution * 100,
              low: d.ciLow * 100,
              high: d.ciHigh * 100,
              n: d.n,
            }))}
          />
        </Box>
      )}
    </Stack>
  );
}

/** The first text field of a row, shortened: how people recognise an example. */
function snippet(data: Record<string, unknown>): string {
  const text = Object.values(data).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return text === undefined ? '' : text.replace(/\s+/g, ' ').slice(0, 60);
}
