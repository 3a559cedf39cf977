// The form that starts a project: task, data, the main metric's threshold, rows per experiment, budgets and failure
// categories, prefilled from the workspace and the dataset's recipe (new-project.ts).
import { Box, Button, MenuItem, Paper, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { Project, ProjectSpecIn } from '../../../../shared/contract';
import { AdapterPlan, adapterSummary } from '../../../../shared/contract';
import { metricLabel } from '../../../../shared/metrics';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { defaultProject, hasRecipe, type ProjectChoices } from './new-project';

const BUDGETS = [
  ['contextTokens', 'Context tokens per call'],
  ['latencyMs', 'Latency per call (ms)'],
  ['memoryBytes', 'Training memory (MiB)'],
  ['trainingSeconds', 'Training time (s)'],
] as const;

export function NewProjectForm({ onCreated }: { onCreated: (p: Project) => void }) {
  const api = useApi();
  const choices = useLoad(async (a): Promise<ProjectChoices> => ({
    datasets: await a.datasets.list({}),
    models: await a.models.list({}),
    templates: await a.templates.list({}),
    recipes: await a.demo.recipes({}),
  }));
  // The demo workspace imports its datasets and templates after it opens: follow them as they arrive.
  const { reload } = choices;
  useEffect(() => {
    const offs = [
      api.datasets.onChanged(() => reload()),
      api.templates.onChanged(() => reload()),
      api.models.onChanged(() => reload()),
    ];
    return () => offs.forEach((off) => off());
  }, [api, reload]);
  const [datasetId, setDatasetId] = useState<string | undefined>(undefined);
  const [edits, setEdits] = useState<Partial<ProjectSpecIn>>({});
  const [budgets, setBudgets] = useState<Record<string, string>>({});
  const [threshold, setThreshold] = useState<string | undefined>(undefined);
  const [categories, setCategories] = useState('');
  const base = choices.data ? defaultProject(choices.data, datasetId) : null;
  const spec = base ? { ...base, ...edits } : null;
  const main = spec?.metrics[0];
  const submit = useSubmit(async () => {
    if (!spec || !main) return;
    const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : Number(v));
    const memory = number(budgets.memoryBytes);
    const created = await api.projects.create({
      ...spec,
      metrics: [
        { ...main, threshold: threshold === undefined ? main.threshold : Number(threshold) / 100 },
        ...spec.metrics.slice(1),
      ],
      budgets: {
        contextTokens: number(budgets.contextTokens),
        latencyMs: number(budgets.latencyMs),
        memoryBytes: memory === null ? null : memory * 2 ** 20,
        trainingSeconds: number(budgets.trainingSeconds),
      },
      failureCategories: categories
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    });
    onCreated(created);
  });
  if (choices.error) return <ErrorAlert error={choices.error} />;
  if (!choices.data) return null;
  if (!spec || !main)
    return (
      <Typography color="text.secondary">
        A project needs a model, a dataset and a prompt template in the workspace: add them first (Models, Datasets,
        Prompts).
      </Typography>
    );
  const set = (patch: Partial<ProjectSpecIn>) => setEdits((e) => ({ ...e, ...patch }));
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="project-new">
      <Typography variant="h6" component="h2">
        New project
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Say what the model should do and how good is good enough; the stages then guide you from the base model to a
        decision.
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
        <TextField
          label="Name"
          value={spec.name}
          onChange={(e) => set({ name: e.target.value })}
          slotProps={{ htmlInput: { 'data-testid': 'project-name' } }}
        />
        <TextField
          label="Task, in your words"
          value={spec.task ?? ''}
          onChange={(e) => set({ task: e.target.value })}
        />
        <TextField
          select
          label="Dataset"
          value={choices.data.datasets.find((d) => d.versions[0]?.id === spec.datasetVersionId)?.id ?? ''}
          onChange={(e) => {
            setDatasetId(e.target.value);
            setEdits({});
          }}
        >
          {choices.data.datasets.map((d) => (
            <MenuItem key={d.id} value={d.id}>
              {d.name} v{d.versions[0]?.version}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Baseline prompt"
          value={spec.templateVersionId}
          onChange={(e) => set({ templateVersionId: e.target.value })}
        >
          {choices.data.templates.map((t) => (
            <MenuItem key={t.id} value={t.latest.id}>
              {t.name} v{t.latest.version}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label={`Threshold of ${metricLabel(main)} (%)`}
          type="number"
          value={threshold ?? String(Math.round((main.threshold ?? 0) * 100))}
          onChange={(e) => setThreshold(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'project-threshold', min: 0, max: 100 } }}
        />
        <TextField
          label="Rows per experiment"
          type="number"
          value={spec.evalRows ?? ''}
          onChange={(e) => set({ evalRows: e.target.value === '' ? null : Number(e.target.value) })}
          slotProps={{ htmlInput: { 'data-testid': 'project-rows', min: 1 } }}
          helperText={`From the ${spec.evalSplit} split; fewer rows run faster, with wider intervals.`}
        />
        <TextField
          label="Adapter: training steps"
          type="number"
          value={spec.adapter?.maxSteps === undefined ? 30 : (spec.adapter.maxSteps ?? '')}
          onChange={(e) =>
            set({ adapter: { ...spec.adapter, maxSteps: e.target.value === '' ? null : Number(e.target.value) } })
          }
          slotProps={{ htmlInput: { 'data-testid': 'project-steps', min: 1 } }}
          helperText={`${hasRecipe(choices.data, spec.datasetVersionId) ? "The dataset's recipe: " : ''}${adapterSummary(AdapterPlan.parse(spec.adapter ?? {}))}. Empty: ${spec.adapter?.epochs ?? 1} pass(es) over the training split.`}
          data-testid="project-adapter"
        />
        <TextField
          label="Known failure categories (comma-separated)"
          value={categories}
          onChange={(e) => setCategories(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'project-categories' } }}
        />
        {BUDGETS.map(([key, label]) => (
          <TextField
            key={key}
            label={`Budget: ${label}`}
            type="number"
            value={budgets[key] ?? ''}
            onChange={(e) => setBudgets((b) => ({ ...b, [key]: e.target.value }))}
            slotProps={{ htmlInput: { 'data-testid': `project-budget-${key}`, min: 0 } }}
            helperText="Empty: no budget"
          />
        ))}
      </Box>
      <ErrorAlert error={submit.error} />
      <Button
        variant="contained"
        sx={{ mt: 2 }}
        disabled={submit.busy}
        onClick={() => void submit.submit()}
        data-testid="project-create"
      >
        Create project
      </Button>
    </Paper>
  );
}
