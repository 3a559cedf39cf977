// "Compare with the base model" on a finished adapter: sets up the comparison itself (the base model with the
// adapter's training template against the adapter with it, on the dataset's test split, with its recipe's metrics),
// shows how long it should take, offers a quick 100-row check first, and starts it.
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { AdapterDetails } from '../../../../shared/contract';
import type { MetricSpecInput } from '../../../../shared/metrics';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { presetDrafts, referenceShape, specOf } from '../experiments/metric-drafts';
import { seconds } from './format';
import { compareEstimate, comparePlan, compareSplit, QUICK_ROWS } from './compare-plan';

interface Props {
  adapter: AdapterDetails;
  onClose: () => void;
  onStarted: (experimentId: string) => void;
}

export function CompareWithBaseDialog({ adapter, onClose, onStarted }: Props) {
  const api = useApi();
  const [baseModelId, setBaseModelId] = useState(adapter.modelId);
  const { busy, error, submit } = useSubmit();
  const training = adapter.training;
  const facts = useLoad(
    async (a) => {
      const dataset = training?.datasetVersionId
        ? await a.datasets.get({ versionId: training.datasetVersionId })
        : null;
      const template = training?.templateVersionId
        ? await a.templates.version({ id: training.templateVersionId })
        : null;
      const [models, experiments, recipes] = await Promise.all([
        a.models.list({}),
        a.experiments.list({}),
        a.demo.recipes({}),
      ]);
      let metrics: MetricSpecInput[] | null = recipes.find((r) => r.dataset === dataset?.name)?.recipe.metrics ?? null;
      if (dataset && metrics === null) {
        // No recipe: the metrics the experiment form would suggest from the references' shape.
        const sample = await a.datasets.rows({
          versionId: dataset.id,
          split: compareSplit(dataset),
          offset: 0,
          limit: 50,
        });
        const ref = dataset.roles.reference;
        const shape = referenceShape(
          sample.rows.map((r) =>
            ref === null
              ? null
              : typeof r.data[ref] === 'string'
                ? (r.data[ref] as string)
                : JSON.stringify(r.data[ref] ?? null),
          ),
        );
        metrics = presetDrafts(shape).flatMap((d) => {
          const s = specOf(d);
          return 'spec' in s ? [s.spec] : [];
        });
      }
      return { dataset, template, models, experiments, metrics: metrics ?? [] };
    },
    [adapter.id],
  );
  const f = facts.data;
  const baseModel = f?.models.find((m) => m.id === baseModelId);
  const rows = f?.dataset ? f.dataset.splits[compareSplit(f.dataset)] : 0;
  const estimate = (n: number) => (f && baseModel ? compareEstimate(n, f.experiments, baseModel) : null);
  const full = estimate(rows);
  const quick = estimate(Math.min(QUICK_ROWS, rows));
  const missing = !f
    ? null
    : !f.dataset
      ? 'This adapter was not trained on a dataset of this workspace, so there is no test split to compare on: use ' +
        'New experiment on the Experiments screen.'
      : !f.template
        ? 'This adapter was not trained with a saved template: save its prompt as a template, then compare on the ' +
          'Experiments screen.'
        : f.metrics.length === 0
          ? "No metric fits this dataset's references: use New experiment on the Experiments screen."
          : null;

  const start = (isQuick: boolean) =>
    submit(async () => {
      if (!f?.dataset || !f.template || !baseModel) return;
      const plan = comparePlan({
        adapter,
        baseModel,
        template: f.template,
        dataset: f.dataset,
        metrics: f.metrics,
        quick: isQuick,
      });
      const base = await api.specializations.create(plan.base);
      const tuned = await api.specializations.create(plan.tuned);
      const experiment = await api.experiments.create(plan.experiment(base.id, tuned.id));
      await api.experiments.run({ id: experiment.id });
      onStarted(experiment.id);
    });

  const time = (e: ReturnType<typeof estimate>) => (e ? `about ${seconds(e.seconds)}` : '');
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="compare-base-dialog">
      <DialogTitle>Compare {adapter.name} with the base model</DialogTitle>
      <DialogContent>
        {!f ? (
          facts.error ? (
            <ErrorAlert error={facts.error} />
          ) : (
            <CircularProgress aria-label="Loading" />
          )
        ) : (
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              select
              label="Base model"
              size="small"
              value={baseModelId}
              onChange={(e) => setBaseModelId(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'compare-base-model' } }}
              helperText="The model without the adapter; the adapter itself always runs on the model it was trained on."
            >
              {f.models.map((m) => (
                <MenuItem key={m.id} value={m.id}>
                  {m.name}
                </MenuItem>
              ))}
            </TextField>
            {missing ? (
              <Alert severity="info" data-testid="compare-base-missing">
                {missing}
              </Alert>
            ) : (
              <>
                <Typography variant="body2" data-testid="compare-base-plan">
                  Both answer the {rows} {f.dataset ? compareSplit(f.dataset) : ''} rows of {f.dataset?.name} v
                  {f.dataset?.version} with the template {f.template?.name} v{f.template?.version} (the one the adapter
                  was trained with), greedy, at most 64 new tokens. Main metric:{' '}
                  {f.metrics[0] &&
                    ('name' in f.metrics[0] && f.metrics[0].name ? f.metrics[0].name : f.metrics[0].kind)}
                  ; {f.metrics.length - 1} more.
                </Typography>
                <Typography variant="body2" data-testid="compare-base-estimate" data-source={full?.source}>
                  Time: {time(full)} for all {rows} rows, {time(quick)} for a quick check of the first{' '}
                  {Math.min(QUICK_ROWS, rows)}: an estimate,{' '}
                  {full?.source === 'measured'
                    ? 'from the generation speed an earlier experiment measured on this machine'
                    : "guessed from the model's size (nothing measured on this machine yet; the quick check measures it)"}
                  .
                </Typography>
              </>
            )}
          </Stack>
        )}
        <ErrorAlert error={error} testId="compare-base-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          variant="outlined"
          disabled={busy || !f || missing !== null}
          onClick={() => void start(true)}
          data-testid="compare-base-quick"
        >
          Quick check: {Math.min(QUICK_ROWS, rows)} rows ({time(quick)})
        </Button>
        <Button
          variant="contained"
          disabled={busy || !f || missing !== null}
          onClick={() => void start(false)}
          data-testid="compare-base-full"
        >
          Compare on all {rows} rows ({time(full)})
        </Button>
      </DialogActions>
    </Dialog>
  );
}
