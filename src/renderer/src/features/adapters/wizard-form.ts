// The wizard's form state, the defaults it derives from the workspace (dataset version, a saved template whose name
// suggests the dataset, its recipe's preset) and its mapping to the contract's TrainingSpec (pure, so it is testable
// without a DOM).
import type { DatasetVersion, TemplateSummary, TemplateVersion, TrainingSpecIn } from '../../../../shared/contract';
import type { DatasetRecipe, NamedRecipe } from '../../../../shared/recipe';
import { targetsFor } from '../../../../shared/lora';
import { adapterName, GENERIC_SETTINGS, presetSettings, type PresetId, type TrainingSettings } from './presets';

/** How the rows of a dataset source become prompts: the suggested saved template, a chosen one, or an inline prompt. */
export type TemplateChoice = { kind: 'default' } | { kind: 'saved'; version: TemplateVersion } | { kind: 'inline' };

/** The form: where the rows come from and how they are prompted, plus the training settings (used as edited only
 * when `preset` is 'custom'). */
export interface WizardForm extends TrainingSettings {
  modelId: string;
  source: 'dataset' | 'jsonl';
  /** null: the default dataset version (defaultDataset). */
  datasetVersionId: string | null;
  template: TemplateChoice;
  /** The inline prompt of a dataset source (Jinja over the row's fields by name); null: one line per input field. */
  inlinePrompt: string | null;
  /** A JSONL source: the file, its input and output fields and the prompt (the row's fields plus {{ input }}). */
  path: string;
  inputField: string;
  outputField: string;
  prompt: string;
  chat: boolean;
  maxRows: string;
  /** A preset over the dataset's recipe, or 'custom': the training settings as edited under Advanced. */
  preset: PresetId | 'custom';
  maxLength: string;
}

/** What the form's choices resolve to against the workspace's dataset versions and templates. */
export interface Choices {
  dataset: DatasetVersion | null;
  /** null: the inline prompt. */
  template: TemplateVersion | null;
  prompt: string;
  /** The recipe of a bundled dataset (by name), null for others. */
  recipe: DatasetRecipe | null;
  /** The chosen model's architecture (its LoRA projections differ: Phi-3 fuses them); '' before models load. */
  architecture: string;
}

export function initialForm(modelId: string): WizardForm {
  return {
    modelId,
    source: 'dataset',
    datasetVersionId: null,
    template: { kind: 'default' },
    inlinePrompt: null,
    path: '',
    inputField: 'input',
    outputField: 'output',
    prompt: 'Input: {{ input }}\nOutput: ',
    chat: false,
    maxRows: '',
    preset: 'balanced',
    method: 'both',
    r: 8,
    alpha: 16,
    dropout: '0',
    targets: ['q_proj', 'v_proj'],
    n: 8,
    softInit: 'random',
    softInitText: '',
    validationRows: 64,
    lr: '0.002',
    epochs: 1,
    batchSize: 8,
    maxSteps: '',
    warmupSteps: 0,
    maxLength: '',
    evalEvery: 10,
    checkpointEvery: 10,
    seed: 0,
  };
}

/** A version can train only with a reference field (the target) and train rows. */
export function trainable(v: DatasetVersion): boolean {
  return v.roles.reference !== null && v.splits.train > 0;
}

/** The first trainable version in datasets.list order (datasets by name, each one's newest version first). */
export function defaultDataset(versions: readonly DatasetVersion[]): DatasetVersion | null {
  return versions.find(trainable) ?? null;
}

export function splitCounts(v: DatasetVersion): string {
  return `train ${v.splits.train} · validation ${v.splits.validation} · test ${v.splits.test}`;
}

const words = (name: string): string[] =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4);
const related = (a: string, b: string): boolean =>
  a === b || (a.length >= 5 && b.startsWith(a)) || (b.length >= 5 && a.startsWith(b));

/**
 * The saved template whose name shares the most words with the dataset's ("Triage as JSON" for "Support triage"),
 * ties to the one that reads only the dataset's fields, then list order; with no name in common, the first.
 */
export function suggestTemplate(
  dataset: DatasetVersion | null,
  templates: readonly TemplateSummary[],
): TemplateSummary | null {
  if (templates.length === 0) return null;
  if (dataset === null) return templates[0] ?? null;
  const datasetWords = words(dataset.name);
  const fields = new Set(dataset.fields.map((f) => f.name));
  const score = (t: TemplateSummary): number => {
    const shared = words(t.name).filter((w) => datasetWords.some((d) => related(w, d))).length;
    return shared === 0 ? 0 : shared * 2 + (t.latest.fields.every((f) => fields.has(f)) ? 1 : 0);
  };
  let best: TemplateSummary | null = null;
  let bestScore = 0;
  for (const t of templates) {
    const s = score(t);
    if (s > bestScore) [best, bestScore] = [t, s];
  }
  return best ?? templates[0] ?? null;
}

/** A starting inline prompt: the dataset's input fields, one per line. */
export function fieldsPrompt(dataset: DatasetVersion | null): string {
  const inputs = dataset?.roles.input ?? [];
  return inputs.length === 0 ? '' : `${inputs.map((f) => `{{ ${f} }}`).join('\n')}\n`;
}

export function resolveChoices(
  f: WizardForm,
  datasets: readonly DatasetVersion[],
  templates: readonly TemplateSummary[],
  recipes: readonly NamedRecipe[] = [],
  models: readonly { id: string; architecture: string }[] = [],
): Choices {
  const architecture = models.find((m) => m.id === f.modelId)?.architecture ?? '';
  const dataset =
    f.datasetVersionId === null
      ? defaultDataset(datasets)
      : (datasets.find((v) => v.id === f.datasetVersionId) ?? null);
  const recipe = f.source === 'dataset' ? (recipes.find((r) => r.dataset === dataset?.name)?.recipe ?? null) : null;
  const named = recipe?.template ? templates.find((t) => t.name === recipe.template) : undefined;
  const template =
    f.template.kind === 'saved'
      ? f.template.version
      : f.template.kind === 'inline'
        ? null
        : ((named ?? suggestTemplate(dataset, templates))?.latest ?? null);
  return { dataset, template, prompt: f.inlinePrompt ?? fieldsPrompt(dataset), recipe, architecture };
}

/** The training settings the form stands for: its preset over the dataset's recipe, or the fields as edited. */
export function settingsOf(f: WizardForm, c: Choices): TrainingSettings {
  if (f.preset !== 'custom') return presetSettings(f.preset, c.recipe, c.dataset?.splits.train ?? 0);
  // GENERIC_SETTINGS is a whole TrainingSettings (the type checks it), so its keys are every training setting.
  const settings: Partial<Record<keyof TrainingSettings, unknown>> = {};
  for (const key of Object.keys(GENERIC_SETTINGS) as (keyof TrainingSettings)[]) settings[key] = f[key];
  return settings as TrainingSettings;
}

/** Editing one setting under Advanced turns the preset into 'custom', starting from what the preset gave. */
export function withSetting<K extends keyof TrainingSettings>(
  f: WizardForm,
  c: Choices,
  key: K,
  value: TrainingSettings[K],
): WizardForm {
  return { ...f, ...settingsOf(f, c), [key]: value, preset: 'custom' };
}

/** What the adapter is named after: the dataset, or the JSONL file's name. */
export function dataName(f: WizardForm, c: Choices): string {
  if (f.source === 'jsonl')
    return (
      f.path
        .split(/[\\/]/)
        .filter(Boolean)
        .pop()
        ?.replace(/\.jsonl$/i, '') ?? 'JSONL'
    );
  return c.dataset?.name ?? 'Adapter';
}

/** Choosing another dataset version lets the template follow it again (the suggestion for the new dataset). */
export function withDataset(f: WizardForm, datasetVersionId: string): WizardForm {
  return { ...f, datasetVersionId, template: f.template.kind === 'inline' ? f.template : { kind: 'default' } };
}

/** Switching to an inline prompt starts from the template shown until then. */
export function withInlinePrompt(f: WizardForm, c: Choices): WizardForm {
  return {
    ...f,
    template: { kind: 'inline' },
    inlinePrompt: f.inlinePrompt ?? c.template?.source ?? c.prompt,
    chat: c.template?.chat ?? f.chat,
  };
}

/** Why the wizard cannot leave `step` (0 Data, 1 Template, 2 Method) yet, or null. */
export function formProblem(f: WizardForm, c: Choices, step: number): string | null {
  if (f.modelId === '') return 'Choose a base model.';
  if (f.source === 'jsonl' && f.path.trim() === '') return 'Give the JSONL file path.';
  if (f.source === 'dataset' && c.dataset === null)
    return 'Choose a dataset version (import one on the Datasets screen), or use a JSONL file.';
  if (step >= 1 && f.source === 'dataset' && c.template === null && c.prompt.trim() === '')
    return 'Write the prompt template.';
  if (step >= 2 && dropoutProblem(settingsOf(f, c).dropout) !== null)
    return 'The LoRA dropout must be at least 0 and below 1.';
  return null;
}

export function dropoutProblem(s: string): string | null {
  const p = Number(s);
  return s.trim() === '' || (Number.isFinite(p) && p >= 0 && p < 1) ? null : '0 to below 1';
}

const optionalInt = (s: string): number | null => (s.trim() === '' ? null : Math.max(1, Math.round(Number(s))));

function dataAndTemplate(f: WizardForm, c: Choices, validationRows: number): Pick<TrainingSpecIn, 'data' | 'template'> {
  const maxRows = optionalInt(f.maxRows);
  if (f.source === 'jsonl') {
    return {
      data: { kind: 'jsonl', path: f.path },
      template: {
        inputField: f.inputField,
        outputField: f.outputField,
        prompt: f.prompt,
        chat: f.chat,
        maxRows,
        validationRows,
      },
    };
  }
  // The renderer reads fields by name and the target is the reference role; the two fields are kept for the lineage.
  const reference = c.dataset?.roles.reference ?? 'reference';
  const inputField = c.dataset?.roles.input[0] ?? reference;
  const template =
    c.template === null
      ? { prompt: c.prompt, chat: f.chat, templateVersionId: null }
      : { prompt: c.template.source, chat: c.template.chat, templateVersionId: c.template.id };
  return {
    data: { kind: 'dataset', datasetVersionId: c.dataset?.id ?? '' },
    template: { inputField, outputField: reference, ...template, maxRows, validationRows },
  };
}

/** The spec the wizard starts; `taken` (the names of existing adapters and jobs) numbers its name. */
export function toSpec(f: WizardForm, c: Choices, taken: readonly string[] = []): TrainingSpecIn {
  const t = settingsOf(f, c);
  return {
    modelId: f.modelId,
    name: adapterName(dataName(f, c), t.method, taken),
    ...dataAndTemplate(f, c, t.validationRows),
    method: t.method,
    lora: {
      r: t.r,
      alpha: t.alpha,
      targets: targetsFor(c.architecture, t.targets),
      dropout: t.dropout.trim() === '' ? 0 : Number(t.dropout),
    },
    softPrompt:
      t.softInit === 'text' && t.softInitText.trim() !== ''
        ? { n: t.n, init: 'text', initText: t.softInitText }
        : { n: t.n },
    hyper: {
      lr: t.lr.trim() === '' ? null : Number(t.lr),
      epochs: t.epochs,
      batchSize: t.batchSize,
      maxSteps: optionalInt(t.maxSteps),
      warmupSteps: t.warmupSteps,
      maxLength: optionalInt(f.maxLength),
      evalEvery: t.evalEvery,
      checkpointEvery: t.checkpointEvery,
      seed: t.seed,
    },
  };
}
