// The "New experiment" form (pure): its state, the ablation plan it previews, and the conversion to the contract's
// ExperimentSpec with each problem reported at its field, and the name it suggests.
import {
  COMPONENT_LABELS,
  COMPONENTS,
  ExperimentSpec,
  type Component,
  type DatasetSummary,
  type ExperimentSpecIn,
  type Specialization,
  type Split,
} from '../../../../shared/contract';
import type { MetricSpecInput } from '../../../../shared/metrics';
import { budgetDraft, budgetFromDraft, type BudgetDraft } from '../../components/budget-draft';
import { specOf, type MetricDraft } from './metric-drafts';
import { emptyRemote, toRemoteSpec, type RemoteDraft } from './remote-form';

export interface ExperimentForm {
  readonly name: string;
  readonly datasetVersionId: string;
  readonly split: Split;
  /** '' = every row of the split. */
  readonly limit: string;
  readonly design: 'compare' | 'ablation';
  readonly compareIds: readonly string[];
  readonly ablationId: string;
  readonly metrics: readonly MetricDraft[];
  readonly seed: string;
  readonly batchSize: string;
  /** The performance budget's limits as typed ('' = no limit). */
  readonly budget: BudgetDraft;
  /** Where the cells generate: this computer, or an OpenAI-compatible server. */
  readonly remote: RemoteDraft;
}

export type FormField =
  'name' | 'dataset' | 'split' | 'limit' | 'design' | 'metrics' | 'seed' | 'batchSize' | 'budget' | 'remote';
export type FormErrors = Partial<Record<FormField, string>> & { metricAt?: Record<number, string> };

export const MAX_COMPARE = 16;

export function emptyForm(): ExperimentForm {
  return {
    name: '',
    datasetVersionId: '',
    split: 'test',
    limit: '',
    design: 'compare',
    compareIds: [],
    ablationId: '',
    metrics: [],
    seed: '0',
    batchSize: '32',
    budget: budgetDraft(null),
    remote: emptyRemote(),
  };
}

/** The cells an ablation of a specialization with these components creates, in mask order (bit j = j-th component). */
export function ablationPlan(
  components: readonly Component[],
): { mask: number; components: Component[]; label: string }[] {
  const ordered = COMPONENTS.filter((c) => components.includes(c));
  const cells = [];
  for (let mask = 0; mask < 1 << ordered.length; mask++) {
    const on = ordered.filter((_, j) => (mask & (1 << j)) !== 0);
    cells.push({
      mask,
      components: on,
      label: on.length === 0 ? 'base' : `base + ${on.map((c) => COMPONENT_LABELS[c]).join(' + ')}`,
    });
  }
  return cells;
}

function wholeNumber(text: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `Enter a whole number from ${min} to ${max.toLocaleString('en-US')}`;
  const n = Number(t);
  if (n < min || n > max) return `Enter a whole number from ${min} to ${max.toLocaleString('en-US')}`;
  return n;
}

/** The spec to send, or the fields at fault. `splitRows` is the chosen split's row count when known. */
export function toExperimentSpec(
  f: ExperimentForm,
  splitRows?: number,
): { spec: ExperimentSpecIn } | { errors: FormErrors } {
  const errors: FormErrors = {};
  if (f.name.trim() === '') errors.name = 'A name is required';
  if (f.datasetVersionId === '') errors.dataset = 'Choose a dataset';
  if (splitRows === 0) errors.split = `The ${f.split} split has no rows`;
  let limit: number | null = null;
  if (f.limit.trim() !== '') {
    const n = wholeNumber(f.limit, 1, 10_000_000);
    if (typeof n === 'string') errors.limit = n;
    else limit = n;
  }
  const design =
    f.design === 'compare'
      ? { kind: 'compare' as const, specializationIds: [...f.compareIds] }
      : { kind: 'ablation' as const, specializationId: f.ablationId };
  if (f.design === 'compare' && f.compareIds.length === 0) errors.design = 'Choose at least one specialization';
  if (f.design === 'compare' && f.compareIds.length > MAX_COMPARE)
    errors.design = `At most ${MAX_COMPARE} specializations`;
  if (f.design === 'ablation' && f.ablationId === '') errors.design = 'Choose the specialization to ablate';
  const metrics: MetricSpecInput[] = [];
  const metricAt: Record<number, string> = {};
  f.metrics.forEach((d, i) => {
    const out = specOf(d);
    if ('error' in out) metricAt[i] = out.error;
    else metrics.push(out.spec);
  });
  if (Object.keys(metricAt).length > 0) errors.metricAt = metricAt;
  if (f.metrics.length === 0) errors.metrics = 'Choose at least one metric';
  const seed = wholeNumber(f.seed, 0, 0xffff_ffff);
  if (typeof seed === 'string') errors.seed = seed;
  const batchSize = wholeNumber(f.batchSize, 1, 256);
  if (typeof batchSize === 'string') errors.batchSize = batchSize;
  const budget = budgetFromDraft(f.budget);
  if (budget !== null && Object.values(budget).some((v) => v !== null && !(Number(v) > 0)))
    errors.budget = 'Each limit is a number above 0, or empty for no limit';
  const remote = toRemoteSpec(f.remote, f.design, f.compareIds);
  if ('error' in remote) errors.remote = remote.error;
  if (Object.keys(errors).length > 0 || typeof seed === 'string' || typeof batchSize === 'string') return { errors };
  const spec: ExperimentSpecIn = {
    name: f.name.trim(),
    datasetVersionId: f.datasetVersionId,
    split: f.split,
    limit,
    design,
    metrics,
    seed,
    batchSize,
    ...(budget === null ? {} : { budget }),
    ...('remote' in remote && remote.remote !== undefined ? { remote: remote.remote } : {}),
  };
  const parsed = ExperimentSpec.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldOfPath(issue?.path.map(String) ?? []);
    return { errors: { [field]: issue?.message ?? 'Not valid' } };
  }
  return { spec };
}

/** The form field a server error's `where` ("experiments.create: metrics.0.threshold", "split") names. */
export function fieldOfWhere(where: string | undefined): FormField | undefined {
  if (where === undefined) return undefined;
  const path = where.replace(/^experiments\.create: /, '').split('.');
  const field = fieldOfPath(path);
  return field === 'name' && path[0] !== 'name' ? undefined : field;
}

function fieldOfPath(path: readonly string[]): FormField {
  switch (path[0]) {
    case 'datasetVersionId':
      return 'dataset';
    case 'split':
      return 'split';
    case 'limit':
      return 'limit';
    case 'design':
      return 'design';
    case 'metrics':
      return 'metrics';
    case 'seed':
      return 'seed';
    case 'batchSize':
      return 'batchSize';
    case 'budget':
      return 'budget';
    case 'remote':
      return 'remote';
    default:
      return 'name';
  }
}

/** The name an experiment gets until the user types one: what it compares, on which dataset and split. */
export function suggestedName(
  f: ExperimentForm,
  specs: readonly Specialization[],
  datasets: readonly DatasetSummary[],
): string {
  const dataset = datasets.find((d) => d.versions.some((v) => v.id === f.datasetVersionId));
  const on = dataset ? ` on ${dataset.name} (${f.split})` : '';
  if (f.design === 'ablation') {
    const s = specs.find((x) => x.id === f.ablationId);
    return s ? `Ablation of ${s.name}${on}` : '';
  }
  const names = f.compareIds.map((id) => specs.find((x) => x.id === id)?.name ?? '').filter((n) => n !== '');
  if (names.length === 0) return '';
  return `${names.length <= 3 ? names.join(' vs ') : `${names.length} specializations`}${on}`;
}

/** A reference value as text (JSON for objects), null when missing. */
export function refText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
