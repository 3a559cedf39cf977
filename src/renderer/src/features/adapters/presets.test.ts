import { describe, expect, it } from 'vitest';
import {
  TrainingSpec,
  type DatasetVersion,
  type TemplateSummary,
  type TemplateVersion,
} from '../../../../shared/contract';
import { DatasetRecipe } from '../../../../shared/recipe';
import { adapterName, GENERIC_SETTINGS, presetSettings } from './presets';
import { initialForm, resolveChoices, settingsOf, toSpec, withSetting, type WizardForm } from './wizard-form';

const recipe = DatasetRecipe.parse({
  note: 'measured',
  method: 'both',
  lora: { r: 8, alpha: 16 },
  softPrompt: { n: 8, init: 'text', initText: 'Triage this.' },
  hyper: { epochs: 1, batchSize: 8, lr: 0.002, warmupSteps: 10 },
  validationRows: 64,
  template: 'Triage as JSON',
  metrics: [{ kind: 'classification', field: 'category', name: 'Category accuracy' }],
});

const triage: DatasetVersion = {
  id: 'tri',
  datasetId: 'd-tri',
  name: 'Support triage',
  version: 1,
  message: '',
  source: { files: [] },
  fields: ['id', 'message', 'output'].map((f) => ({ name: f, source: f, type: 'string', role: 'none' })),
  roles: { input: ['message'], reference: 'output', key: 'id', label: null },
  split: { kind: 'given' },
  rowCount: 2700,
  duplicateCount: 0,
  splits: { train: 2000, validation: 300, test: 400 },
  leaks: [],
  contentHash: 'h',
  createdAt: '2025-01-01T00:00:00Z',
  lineage: null,
} as DatasetVersion;
const version = (id: string, name: string): TemplateVersion =>
  ({
    id: `${id}-v1`,
    templateId: id,
    name,
    version: 1,
    source: `${name}: {{ message }}`,
    system: null,
    chat: false,
    message: '',
    fields: ['message'],
    contentHash: 'h',
    createdAt: '2025-01-01T00:00:00Z',
    status: 'draft',
    author: null,
    authorName: null,
    history: [],
  }) as TemplateVersion;
const templates: TemplateSummary[] = [version('t-a', 'Another'), version('t-tj', 'Triage as JSON')].map((v) => ({
  id: v.templateId,
  name: v.name,
  latest: v,
  versions: 1,
}));
const form = (over: Partial<WizardForm> = {}): WizardForm => ({ ...initialForm('model-1'), ...over });

describe('presets', () => {
  it('Balanced is the recipe; Quick half an epoch of it; Thorough two epochs', () => {
    const balanced = presetSettings('balanced', recipe, 2000);
    expect(balanced).toMatchObject({
      method: 'both',
      lr: '0.002',
      batchSize: 8,
      epochs: 1,
      maxSteps: '',
      softInit: 'text',
      softInitText: 'Triage this.',
      validationRows: 64,
    });
    expect(presetSettings('quick', recipe, 2000)).toMatchObject({
      method: 'both',
      lr: '0.002',
      epochs: 1,
      maxSteps: '125',
      warmupSteps: 10,
    });
    expect(presetSettings('thorough', recipe, 2000)).toMatchObject({ epochs: 2, maxSteps: '' });
  });

  it('a dataset without a recipe gets the joint LoRA + soft prompt settings, not a LoRA alone at 2e-4', () => {
    expect(presetSettings('balanced', null, 100)).toEqual(GENERIC_SETTINGS);
    expect(GENERIC_SETTINGS).toMatchObject({ method: 'both', lr: '0.002', batchSize: 8 });
    expect(presetSettings('quick', null, 100).maxSteps).toBe('7');
  });

  it('the wizard defaults to the dataset recipe and its template, and an Advanced edit turns the preset custom', () => {
    const c = resolveChoices(form(), [triage], templates, [{ dataset: 'Support triage', recipe }]);
    expect(c.recipe?.note).toBe('measured');
    expect(c.template?.name).toBe('Triage as JSON');
    const spec = TrainingSpec.parse(toSpec(form(), c));
    expect(spec).toMatchObject({ method: 'both', softPrompt: { n: 8, init: 'text', initText: 'Triage this.' } });
    expect(spec.hyper).toMatchObject({ lr: 0.002, batchSize: 8, epochs: 1, maxSteps: null, warmupSteps: 10 });
    expect(spec.template.validationRows).toBe(64);
    const edited = withSetting(form({ preset: 'thorough' }), c, 'r', 16);
    expect(edited.preset).toBe('custom');
    expect(settingsOf(edited, c)).toMatchObject({ r: 16, epochs: 2, lr: '0.002' });
  });

  it('names an adapter after its data and method, numbered past the names taken', () => {
    expect(adapterName('Support triage', 'both', [])).toBe('Support triage LoRA+soft 1');
    expect(adapterName('Support triage', 'both', ['Support triage LoRA+soft 1', 'Support triage LoRA 2'])).toBe(
      'Support triage LoRA+soft 2',
    );
    expect(adapterName('rows', 'lora', [])).toBe('rows LoRA 1');
    const c = resolveChoices(form(), [triage], templates, []);
    expect(toSpec(form(), c, ['Support triage LoRA+soft 1']).name).toBe('Support triage LoRA+soft 2');
    const jsonl = form({ source: 'jsonl', path: '/data/tickets.jsonl' });
    expect(toSpec(jsonl, resolveChoices(jsonl, [], []), []).name).toBe('tickets LoRA+soft 1');
  });
});
