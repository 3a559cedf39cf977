// The wizard's presets (Quick / Balanced / Thorough) over a dataset's recipe: Balanced is the recipe itself (the
// settings measured to work on a bundled dataset, else the same joint LoRA + soft prompt settings), Quick trains half
// an epoch of it, Thorough two epochs. Pure, so the choice of defaults is testable without a DOM.
import type { DatasetRecipe } from '../../../../shared/recipe';

export type PresetId = 'quick' | 'balanced' | 'thorough';

export const PRESETS: readonly { id: PresetId; label: string; help: string }[] = [
  {
    id: 'quick',
    label: 'Quick',
    help: 'Half an epoch of the recommended settings: a first look in about half the time; expect a smaller gain.',
  },
  {
    id: 'balanced',
    label: 'Balanced (recommended)',
    help: 'The recommended settings: a LoRA and a soft prompt trained together for one epoch.',
  },
  {
    id: 'thorough',
    label: 'Thorough',
    help: 'Two epochs of the recommended settings: about twice the time, for when Balanced is not enough.',
  },
];

/** The settings a preset fills in (the form's training fields, as numbers and text as the form holds them). */
export interface TrainingSettings {
  method: DatasetRecipe['method'];
  r: number;
  alpha: number;
  /** PEFT lora_dropout, as typed (0 <= p < 1). */
  dropout: string;
  targets: string[];
  n: number;
  softInit: 'random' | 'text';
  softInitText: string;
  lr: string;
  epochs: number;
  batchSize: number;
  maxSteps: string;
  warmupSteps: number;
  evalEvery: number;
  checkpointEvery: number;
  seed: number;
  validationRows: number;
}

/**
 * The settings used where a dataset has no recipe: those measured on the bundled Support triage task (a LoRA alone at
 * 2e-4 learned next to nothing there in one epoch; with a soft prompt at 2e-3, batch 8, it did).
 */
export const GENERIC_SETTINGS: TrainingSettings = {
  method: 'both',
  r: 8,
  alpha: 16,
  dropout: '0',
  targets: ['q_proj', 'v_proj'],
  n: 8,
  softInit: 'random',
  softInitText: '',
  lr: '0.002',
  epochs: 1,
  batchSize: 8,
  maxSteps: '',
  warmupSteps: 10,
  evalEvery: 50,
  checkpointEvery: 25,
  seed: 0,
  validationRows: 64,
};

export function recipeSettings(recipe: DatasetRecipe | null): TrainingSettings {
  if (recipe === null) return GENERIC_SETTINGS;
  const h = recipe.hyper;
  return {
    method: recipe.method,
    r: recipe.lora.r,
    alpha: recipe.lora.alpha,
    dropout: String(recipe.lora.dropout),
    targets: [...recipe.lora.targets],
    n: recipe.softPrompt.n,
    softInit: recipe.softPrompt.init,
    softInitText: recipe.softPrompt.initText ?? '',
    lr: h.lr === null ? '' : String(h.lr),
    epochs: h.epochs,
    batchSize: h.batchSize,
    maxSteps: h.maxSteps === null ? '' : String(h.maxSteps),
    warmupSteps: h.warmupSteps,
    evalEvery: h.evalEvery ?? 50,
    checkpointEvery: h.checkpointEvery ?? 25,
    seed: h.seed,
    validationRows: recipe.validationRows,
  };
}

/** A preset's settings for a dataset with `trainRows` training rows (Quick stops after half an epoch's steps). */
export function presetSettings(preset: PresetId, recipe: DatasetRecipe | null, trainRows: number): TrainingSettings {
  const base = recipeSettings(recipe);
  if (preset === 'balanced') return base;
  if (preset === 'thorough') return { ...base, epochs: base.epochs * 2, maxSteps: '' };
  const halfEpoch = Math.max(1, Math.ceil(Math.max(1, trainRows) / base.batchSize / 2));
  return {
    ...base,
    epochs: 1,
    maxSteps: String(halfEpoch),
    warmupSteps: Math.min(base.warmupSteps, Math.ceil(halfEpoch / 10)),
  };
}

const METHOD_NAMES: Record<TrainingSettings['method'], string> = {
  lora: 'LoRA',
  'soft-prompt': 'soft prompt',
  both: 'LoRA+soft',
};

/** "Support triage LoRA+soft 1": named after the data and method, numbered past the names already taken. */
export function adapterName(data: string, method: TrainingSettings['method'], taken: readonly string[]): string {
  const stem = `${data} ${METHOD_NAMES[method]}`;
  const used = new Set(taken);
  let k = 1;
  while (used.has(`${stem} ${k}`)) k += 1;
  return `${stem} ${k}`;
}
