import { describe, expect, it } from 'vitest';
import {
  TrainingSpec,
  type DatasetVersion,
  type TemplateSummary,
  type TemplateVersion,
} from '../../../../shared/contract';
import {
  defaultDataset,
  fieldsPrompt,
  formProblem,
  initialForm,
  resolveChoices,
  suggestTemplate,
  toSpec,
  withDataset,
  withInlinePrompt,
  type WizardForm,
} from './wizard-form';

function dataset(
  id: string,
  name: string,
  roles: { input: string[]; reference: string | null },
  fields: string[],
  train = 80,
): DatasetVersion {
  return {
    id,
    datasetId: `d-${id}`,
    name,
    version: 1,
    message: '',
    source: { files: [] },
    fields: fields.map((f) => ({ name: f, source: f, type: 'string', role: 'none' })),
    roles: { ...roles, key: 'id', label: null },
    split: { kind: 'given' },
    rowCount: train + 20,
    duplicateCount: 0,
    splits: { train, validation: 10, test: 10 },
    leaks: [],
    contentHash: 'h',
    createdAt: '2025-01-01T00:00:00Z',
    lineage: null,
  };
}

function template(id: string, name: string, source: string, fields: string[], version = 1): TemplateVersion {
  return {
    id: `${id}-v${version}`,
    templateId: id,
    name,
    version,
    source,
    system: null,
    chat: false,
    message: '',
    fields,
    contentHash: 'h',
    createdAt: '2025-01-01T00:00:00Z',
    status: 'draft',
    author: null,
    authorName: null,
    history: [],
  } as TemplateVersion;
}

const summary = (v: TemplateVersion): TemplateSummary => ({
  id: v.templateId,
  name: v.name,
  latest: v,
  versions: v.version,
});

const triage = dataset('tri', 'Support triage', { input: ['message'], reference: 'output' }, [
  'id',
  'message',
  'output',
  'category',
]);
const wordnet = dataset('wn', 'WordNet supersense', { input: ['word', 'pos', 'definition'], reference: 'output' }, [
  'id',
  'word',
  'pos',
  'definition',
  'output',
]);
const unlabelled = dataset('raw', 'A raw dump', { input: ['text'], reference: null }, ['text']);
const supersense = summary(
  template('t-ss', 'Supersense', '{{ word }} ({{ pos }}): {{ definition }}\nSupersense: ', [
    'word',
    'pos',
    'definition',
  ]),
);
const triageJson = summary(
  template(
    't-tj',
    'Triage as JSON',
    'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    ['message'],
    2,
  ),
);
const templates = [supersense, triageJson];

const form = (over: Partial<WizardForm> = {}): WizardForm => ({ ...initialForm('model-1'), ...over });

describe('the wizard defaults', () => {
  it('takes the first dataset version that has a reference field and train rows', () => {
    expect(defaultDataset([unlabelled, triage, wordnet])?.id).toBe('tri');
    expect(defaultDataset([unlabelled])).toBeNull();
  });

  it('suggests the template whose name shares a word with the dataset, else the first', () => {
    expect(suggestTemplate(triage, templates)?.name).toBe('Triage as JSON');
    expect(suggestTemplate(wordnet, templates)?.name).toBe('Supersense');
    expect(
      suggestTemplate(dataset('x', 'Invoices', { input: ['text'], reference: 'total' }, ['text', 'total']), templates)
        ?.name,
    ).toBe('Supersense');
    expect(suggestTemplate(triage, [])).toBeNull();
  });

  it('resolves the default dataset with its suggested template, and follows a dataset change', () => {
    const c = resolveChoices(form(), [triage, wordnet], templates);
    expect(c.dataset?.id).toBe('tri');
    expect(c.template?.id).toBe('t-tj-v2');
    expect(resolveChoices(withDataset(form(), 'wn'), [triage, wordnet], templates).template?.name).toBe('Supersense');
  });

  it('keeps a chosen template version, and an inline prompt starts from the template shown', () => {
    const older = template('t-tj', 'Triage as JSON', 'Old: {{ message }}', ['message'], 1);
    expect(
      resolveChoices(form({ template: { kind: 'saved', version: older } }), [triage], templates).template?.id,
    ).toBe('t-tj-v1');
    const shown = resolveChoices(form(), [triage], templates);
    const inline = withInlinePrompt(form(), shown);
    const c = resolveChoices(inline, [triage], templates);
    expect(c.template).toBeNull();
    expect(c.prompt).toBe(triageJson.latest.source);
    expect(fieldsPrompt(wordnet)).toBe('{{ word }}\n{{ pos }}\n{{ definition }}\n');
    expect(resolveChoices(form(), [triage], []).prompt).toBe('{{ message }}\n');
  });
});

describe('toSpec', () => {
  it('maps a dataset source with a saved template version to a valid spec', () => {
    const f = form({ maxRows: '16', preset: 'custom', maxSteps: '4', dropout: '0.1' });
    const spec = TrainingSpec.parse(toSpec(f, resolveChoices(f, [triage, wordnet], templates)));
    expect(spec.data).toEqual({ kind: 'dataset', datasetVersionId: 'tri' });
    expect(spec.template).toMatchObject({
      templateVersionId: 't-tj-v2',
      prompt: triageJson.latest.source,
      inputField: 'message',
      outputField: 'output',
      maxRows: 16,
    });
    expect(spec.lora.dropout).toBe(0.1);
    expect(spec.hyper.maxSteps).toBe(4);
  });

  it('maps an inline prompt over a dataset and a JSONL file', () => {
    const inline = form({
      datasetVersionId: 'wn',
      template: { kind: 'inline' },
      inlinePrompt: '{{ word }}: ',
      chat: true,
    });
    const spec = TrainingSpec.parse(toSpec(inline, resolveChoices(inline, [triage, wordnet], templates)));
    expect(spec.template).toMatchObject({
      templateVersionId: null,
      prompt: '{{ word }}: ',
      chat: true,
      outputField: 'output',
    });
    const jsonl = form({ source: 'jsonl', path: '/data/rows.jsonl', dropout: '' });
    const js = TrainingSpec.parse(toSpec(jsonl, resolveChoices(jsonl, [], [])));
    expect(js.data).toEqual({ kind: 'jsonl', path: '/data/rows.jsonl', validationPath: null });
    expect(js.template).toMatchObject({
      inputField: 'input',
      outputField: 'output',
      templateVersionId: null,
      maxRows: null,
    });
    expect(js.lora.dropout).toBe(0);
  });
});

describe('formProblem', () => {
  it('asks for a dataset, a prompt, a path and a dropout in range', () => {
    expect(formProblem(form(), resolveChoices(form(), [], []), 0)).toMatch(/dataset version/);
    expect(formProblem(form(), resolveChoices(form(), [triage], templates), 0)).toBeNull();
    const empty = form({ template: { kind: 'inline' }, inlinePrompt: ' ' });
    expect(formProblem(empty, resolveChoices(empty, [triage], templates), 0)).toBeNull();
    expect(formProblem(empty, resolveChoices(empty, [triage], templates), 1)).toMatch(/prompt/);
    expect(formProblem(form({ source: 'jsonl' }), resolveChoices(form(), [], []), 0)).toMatch(/JSONL/);
    for (const bad of ['1', '-0.1', 'x'])
      expect(
        formProblem(form({ preset: 'custom', dropout: bad }), resolveChoices(form(), [triage], templates), 2),
      ).toMatch(/dropout/);
    expect(
      formProblem(form({ preset: 'custom', dropout: '0.5' }), resolveChoices(form(), [triage], templates), 2),
    ).toBeNull();
  });
});

describe('LoRA targets per architecture', () => {
  it("names the chosen model's own projections: Phi-3 gets qkv_proj for the preset's q_proj and v_proj", () => {
    const f = { ...form({ source: 'jsonl', path: '/data/rows.jsonl' }), modelId: 'phi' };
    const models = [
      { id: 'phi', architecture: 'Phi3ForCausalLM' },
      { id: 'llama', architecture: 'LlamaForCausalLM' },
    ];
    expect(toSpec(f, resolveChoices(f, [], [], [], models)).lora?.targets).toEqual(['qkv_proj']);
    const l = { ...f, modelId: 'llama' };
    expect(toSpec(l, resolveChoices(l, [], [], [], models)).lora?.targets).toEqual(['q_proj', 'v_proj']);
  });
});
