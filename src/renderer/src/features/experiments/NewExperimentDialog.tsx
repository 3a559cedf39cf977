// "New experiment": a name, a dataset version and split (with row counts) and an optional limit, the design (compare
// 1-16 specializations, or the ablation of one with its 2^k cells listed), where it runs (this computer or a server),
// metrics, seed and batch size. Ctrl/Cmd+Enter creates and runs it.
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DatasetSummary, Experiment, Specialization, Split } from '../../../../shared/contract';
import { UserError } from '../../../../shared/errors';
import { useApi, useLoad } from '../../api';
import { BudgetFields } from '../../components/BudgetFields';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';
import {
  ablationPlan,
  emptyForm,
  fieldOfWhere,
  MAX_COMPARE,
  refText,
  suggestedName,
  toExperimentSpec,
  type ExperimentForm,
  type FormErrors,
} from './experiment-form';
import { draftFromSpec, presetDrafts, referenceShape, type MetricDraft } from './metric-drafts';
import { GradersImportButton } from './GradersImportButton';
import { MetricPicker } from './MetricPicker';
import { RemoteEngineFields } from './RemoteEngineFields';
import type { RemoteDraft } from './remote-form';
import { useRunShortcuts } from '../../components/useRunShortcuts';

const SPLITS: readonly Split[] = ['test', 'validation', 'train'];

export interface NewExperimentDialogProps {
  readonly datasets: readonly DatasetSummary[];
  readonly specializations: readonly Specialization[];
  onClose(): void;
  onCreated(experiment: Experiment): void;
}

export function NewExperimentDialog({ datasets, specializations, onClose, onCreated }: NewExperimentDialogProps) {
  const api = useApi();
  const firstVersion = datasets[0]?.versions[0]?.id ?? '';
  const [form, setForm] = useState<ExperimentForm>(() => ({ ...emptyForm(), datasetVersionId: firstVersion }));
  const [nameTouched, setNameTouched] = useState(false);
  const [metricsTouched, setMetricsTouched] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const { busy, error: failure, submit: send } = useSubmit();
  // Specializations made here (a LoRA-only variant) count before the section's list reloads with them.
  const [made, setMade] = useState<Specialization[]>([]);
  const all = useMemo(
    () => [...specializations, ...made.filter((m) => !specializations.some((s) => s.id === m.id))],
    [specializations, made],
  );
  const chosen = all.filter((s) => s.derivedFrom === null);
  const cells = useMemo(() => form.compareIds.flatMap((id) => all.filter((s) => s.id === id)), [form.compareIds, all]);
  const setRemote = useCallback((remote: RemoteDraft) => setForm((f) => ({ ...f, remote })), []);
  const version = useLoad(
    (a) =>
      form.datasetVersionId === '' ? Promise.resolve(null) : a.datasets.get({ versionId: form.datasetVersionId }),
    [form.datasetVersionId],
  );
  const sample = useLoad(
    (a) =>
      form.datasetVersionId === ''
        ? Promise.resolve(null)
        : a.datasets.rows({ versionId: form.datasetVersionId, split: form.split, offset: 0, limit: 50 }),
    [form.datasetVersionId, form.split],
  );
  const v = version.data ?? null;
  const shape = useMemo(() => {
    if (!v || !sample.data) return null;
    const ref = v.roles.reference;
    return referenceShape(sample.data.rows.map((r) => (ref === null ? null : refText(r.data[ref]))));
  }, [v, sample.data]);
  const presets = useMemo(() => (shape ? presetDrafts(shape) : null), [shape]);
  // Until the user edits the metrics, they follow the chosen dataset's suggestions.
  useEffect(() => {
    if (presets && !metricsTouched) setForm((f) => ({ ...f, metrics: presets }));
  }, [presets, metricsTouched]);
  const presetNote =
    shape === null
      ? null
      : shape.kind === 'json'
        ? `JSON references (fields ${shape.keys.join(', ')})`
        : shape.kind === 'text'
          ? 'text references'
          : 'a dataset without references';

  const name = nameTouched ? form.name : suggestedName(form, specializations, datasets);
  const splitRows = v ? v.splits[form.split] : undefined;
  const set = <K extends keyof ExperimentForm>(key: K, value: ExperimentForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const ablated = chosen.find((s) => s.id === form.ablationId);
  const plan = ablated ? ablationPlan(ablated.components) : [];

  const submit = (run: boolean) => {
    if (busy) return;
    const out = toExperimentSpec({ ...form, name }, splitRows);
    if ('errors' in out) {
      setErrors(out.errors);
      return;
    }
    setErrors({});
    void send(async () => {
      try {
        const created = await api.experiments.create(out.spec);
        onCreated(run ? await api.experiments.run({ id: created.id }) : created);
      } catch (error) {
        // An error naming a field of the form is shown at that field; the rest under the form.
        const field = error instanceof UserError ? fieldOfWhere(error.where) : undefined;
        if (!field || !(error instanceof UserError)) throw error;
        setErrors({ [field]: error.hint ? `${error.message}. ${error.hint}` : error.message });
      }
    });
  };
  const onKeyDown = useRunShortcuts({ run: () => submit(true) });
  const versions = datasets.flatMap((d) =>
    d.versions.map((ver, i) => ({
      id: ver.id,
      label: `${d.name} v${ver.version}${i === 0 ? '' : ' (older)'}`,
      rows: ver.rowCount,
    })),
  );

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth onKeyDown={onKeyDown} data-testid="experiment-dialog">
      <DialogTitle>New experiment</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            label="Name"
            size="small"
            autoFocus
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              set('name', e.target.value);
            }}
            error={errors.name !== undefined}
            helperText={errors.name ?? ' '}
            slotProps={{ htmlInput: { 'data-testid': 'experiment-name' } }}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Dataset"
              size="small"
              sx={{ flex: 2 }}
              value={form.datasetVersionId}
              onChange={(e) => set('datasetVersionId', e.target.value)}
              error={errors.dataset !== undefined}
              helperText={
                errors.dataset ??
                (versions.length === 0
                  ? 'No datasets yet: import one in Datasets'
                  : v
                    ? `${v.rowCount.toLocaleString('en-US')} rows · input ${v.roles.input.join(', ')} · reference ${v.roles.reference ?? 'none'}`
                    : ' ')
              }
              slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'experiment-dataset' } as object } }}
            >
              {versions.map((x) => (
                <MenuItem key={x.id} value={x.id}>
                  {x.label} · {x.rows.toLocaleString('en-US')} rows
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Split"
              size="small"
              sx={{ flex: 1 }}
              value={form.split}
              onChange={(e) => set('split', e.target.value as Split)}
              error={errors.split !== undefined}
              helperText={errors.split ?? ' '}
              slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'experiment-split' } as object } }}
            >
              {SPLITS.map((s) => (
                <MenuItem key={s} value={s} data-testid={`split-${s}`}>
                  {s}
                  {v ? ` (${v.splits[s].toLocaleString('en-US')} rows)` : ''}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Limit"
              size="small"
              sx={{ flex: 1 }}
              placeholder="all"
              value={form.limit}
              onChange={(e) => set('limit', e.target.value)}
              error={errors.limit !== undefined}
              helperText={
                errors.limit ??
                (splitRows === undefined ? 'The first N rows' : `Blank: all ${splitRows.toLocaleString('en-US')}`)
              }
              slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'experiment-limit' } }}
            />
          </Stack>
          <ErrorAlert error={version.error ?? sample.error} />
          <Box>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={form.design}
              onChange={(_e, value: ExperimentForm['design'] | null) => value && set('design', value)}
              sx={{ mb: 1.5 }}
            >
              <ToggleButton value="compare" data-testid="design-compare">
                Compare specializations
              </ToggleButton>
              <ToggleButton value="ablation" data-testid="design-ablation">
                Ablation of one specialization
              </ToggleButton>
            </ToggleButtonGroup>
            {form.design === 'compare' ? (
              <Autocomplete
                multiple
                size="small"
                options={chosen}
                getOptionLabel={(s) => s.name}
                value={chosen.filter((s) => form.compareIds.includes(s.id))}
                onChange={(_e, value) =>
                  set(
                    'compareIds',
                    value.slice(0, MAX_COMPARE).map((s) => s.id),
                  )
                }
                getOptionDisabled={() => form.compareIds.length >= MAX_COMPARE}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    label={`Specializations (1-${MAX_COMPARE})`}
                    error={errors.design !== undefined}
                    helperText={errors.design ?? 'Each becomes one cell; every cell answers the same rows'}
                  />
                )}
                data-testid="design-specializations"
              />
            ) : (
              <Stack spacing={1}>
                <TextField
                  select
                  label="Specialization to ablate"
                  size="small"
                  value={form.ablationId}
                  onChange={(e) => set('ablationId', e.target.value)}
                  error={errors.design !== undefined}
                  helperText={
                    errors.design ??
                    'Every subset of its parts becomes a cell, from the base model alone to all of them'
                  }
                  slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'design-ablation-spec' } as object } }}
                >
                  {chosen.map((s) => (
                    <MenuItem
                      key={s.id}
                      value={s.id}
                      disabled={s.components.length === 0}
                      data-testid="design-ablation-option"
                    >
                      {s.name}
                      {s.components.length === 0
                        ? ' (base model only: nothing to ablate)'
                        : ` (${s.components.length} part${s.components.length === 1 ? '' : 's'})`}
                    </MenuItem>
                  ))}
                </TextField>
                {plan.length > 0 && (
                  <Box data-testid="ablation-plan">
                    <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
                      Creates {plan.length} cells, one per subset of its {Math.log2(plan.length)} part
                      {plan.length === 2 ? '' : 's'}
                      {splitRows !== undefined
                        ? `, ${(plan.length * Math.min(splitRows, Number(form.limit) || splitRows)).toLocaleString('en-US')} outputs`
                        : ''}
                      :
                    </Typography>
                    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
                      {plan.map((c) => (
                        <Chip
                          key={c.mask}
                          size="small"
                          variant={c.mask === plan.length - 1 ? 'filled' : 'outlined'}
                          label={c.label}
                          data-testid="ablation-cell"
                        />
                      ))}
                    </Stack>
                  </Box>
                )}
              </Stack>
            )}
          </Box>
          <RemoteEngineFields
            value={form.remote}
            onChange={setRemote}
            cells={cells}
            specializations={all}
            ablation={form.design === 'ablation'}
            error={errors.remote}
            onVariant={(replaced, variant) => {
              setMade((m) => [...m, variant]);
              set(
                'compareIds',
                form.compareIds.map((id) => (id === replaced ? variant.id : id)),
              );
            }}
          />
          <MetricPicker
            metrics={form.metrics}
            errors={errors.metricAt}
            error={errors.metrics}
            presetNote={presetNote}
            onChange={(metrics: MetricDraft[]) => {
              setMetricsTouched(true);
              set('metrics', metrics);
            }}
            onPresets={() => {
              if (presets) {
                setMetricsTouched(false);
                set('metrics', presets);
              }
            }}
            actions={
              <GradersImportButton
                onAdd={(specs) => {
                  setMetricsTouched(true);
                  set('metrics', [...form.metrics, ...specs.map(draftFromSpec)].slice(0, 16));
                }}
              />
            }
          />
          <Stack direction="row" spacing={2}>
            <TextField
              label="Seed"
              size="small"
              value={form.seed}
              onChange={(e) => set('seed', e.target.value)}
              error={errors.seed !== undefined}
              helperText={errors.seed ?? 'Seeds the bootstrap CIs and permutation tests'}
              slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            />
            <TextField
              label="Batch size"
              size="small"
              value={form.batchSize}
              onChange={(e) => set('batchSize', e.target.value)}
              error={errors.batchSize !== undefined}
              helperText={errors.batchSize ?? 'Rows generated together'}
              slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            />
          </Stack>
          <Typography variant="subtitle2">Performance budget (optional; judged like a threshold)</Typography>
          <BudgetFields value={form.budget} onChange={(b) => set('budget', b)} />
          {errors.budget !== undefined && (
            <Typography variant="caption" color="error" data-testid="budget-error">
              {errors.budget}
            </Typography>
          )}
          {chosen.length === 0 && <Alert severity="info">Create a specialization first (Specializations tab).</Alert>}
          <ErrorAlert error={failure} testId="experiment-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1, pl: 2 }}>
          {MOD_KEY_LABEL}+Enter creates and runs it
        </Typography>
        <Button onClick={onClose}>Cancel</Button>
        <Button onClick={() => submit(false)} disabled={busy} data-testid="experiment-create">
          Create
        </Button>
        <Button variant="contained" onClick={() => submit(true)} disabled={busy} data-testid="experiment-create-run">
          Create and run
        </Button>
      </DialogActions>
    </Dialog>
  );
}
