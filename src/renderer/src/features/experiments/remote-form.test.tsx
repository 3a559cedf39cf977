// "Run on a server": each cell's model name filled from the workspace's releases (vLLM: the --lora-modules name of a
// release with the cell's LoRA, or the served base; a Dovetail endpoint: name@version), the problems said before
// anything is sent (soft prompt on vLLM, a name not served), the contract's `remote`, and the server line shown.
import { describe, expect, it } from 'vitest';
import type { Experiment, Release, Specialization } from '../../../../shared/contract';
import { textOf } from '../../testing/markup';
import { emptyForm, toExperimentSpec } from './experiment-form';
import { draftOf } from './metric-drafts';
import { cellProblem, emptyRemote, filledModels, loraOnlyVariant, suggestedModel, toRemoteSpec } from './remote-form';
import { RemoteServerLine } from './RemoteServerLine';

function spec(id: string, parts: Partial<Specialization> = {}): Specialization {
  return {
    id,
    name: `Spec ${id}`,
    hash: `hash-${id}`,
    modelId: 'm1',
    loraAdapterId: null,
    softPromptAdapterId: null,
    templateVersionId: 't1',
    demonstrationSetVersionId: null,
    decoding: { max_new_tokens: 8 },
    components: ['template'],
    derivedFrom: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...parts,
  };
}

function release(name: string, version: string, specializationId: string, createdAt: string): Release {
  return {
    id: `${name}@${version}`,
    name,
    version,
    specializationId,
    specializationName: specializationId,
    specializationHash: `hash-${specializationId}`,
    manifest: { objects: [], appVersion: '0', createdAt } as unknown as Release['manifest'],
    notes: '',
    authorId: null,
    authorName: 'Ann',
    createdAt,
    evidence: [],
    approvals: [],
  };
}

const base = spec('plain');
const joint = spec('joint', { loraAdapterId: 'a1', softPromptAdapterId: 'a1', components: ['template', 'lora'] });
const loraOnly = spec('lora', { loraAdapterId: 'a1', components: ['template', 'lora'] });
const specs = [base, joint, loraOnly];
const releases = [
  release('triage joint', '1.0.0', 'joint', '2026-12-02T00:00:00.000Z'),
  release('triage joint', '1.1.0', 'joint', '2026-12-03T00:00:00.000Z'),
];
const served = [
  { id: '/models/demo', parent: null, ownedBy: 'vllm' },
  { id: 'triage-joint-1.0.0', parent: '/models/demo', ownedBy: 'vllm' },
];

describe('model names filled in', () => {
  it('vLLM: a LoRA cell takes the --lora-modules name of a release with its LoRA, the served one first', () => {
    expect(suggestedModel('vllm', loraOnly, releases, specs, null)).toBe('triage-joint-1.1.0');
    expect(suggestedModel('vllm', loraOnly, releases, specs, served)).toBe('triage-joint-1.0.0');
    // A cell without a LoRA is the base model the server lists without a parent; unknown until it is checked.
    expect(suggestedModel('vllm', base, releases, specs, served)).toBe('/models/demo');
    expect(suggestedModel('vllm', base, releases, specs, null)).toBeNull();
  });

  it('a Dovetail endpoint: the release of the cell as name@version; another server: nothing guessed', () => {
    expect(suggestedModel('dovetail', joint, releases, specs, null)).toBe('triage joint@1.1.0');
    expect(suggestedModel('dovetail', base, releases, specs, null)).toBeNull();
    expect(suggestedModel('openai-compatible', joint, releases, specs, served)).toBeNull();
  });

  it('fills only cells without a name, and keeps the draft when nothing changes', () => {
    const draft = { ...emptyRemote(), runOn: 'server' as const, models: { plain: 'typed-by-hand' } };
    const filled = filledModels(draft, [base, loraOnly], releases, specs, served);
    expect(filled.models).toEqual({ plain: 'typed-by-hand', lora: 'triage-joint-1.0.0' });
    expect(filledModels(filled, [base, loraOnly], releases, specs, served)).toBe(filled);
  });
});

describe('cell problems', () => {
  const draft = { ...emptyRemote(), runOn: 'server' as const, models: { joint: 'x', lora: 'nope', plain: '' } };
  it('a soft prompt on vLLM offers the LoRA-only variant; a name not served names what is', () => {
    expect(cellProblem(draft, joint, served)).toMatchObject({ kind: 'soft-prompt', hasLora: true });
    expect(cellProblem(draft, joint, served)?.text).toContain('LoRA-only variant');
    expect(cellProblem(draft, loraOnly, served)?.text).toBe(
      'The server does not serve "nope". It serves: /models/demo, triage-joint-1.0.0.',
    );
    expect(cellProblem(draft, base, served)?.text).toBe('Name the model this cell has on the server');
    expect(cellProblem({ ...draft, kind: 'dovetail' }, joint, null)).toBeNull();
  });

  it('the LoRA-only variant is the same specialization without its soft prompt', () => {
    expect(loraOnlyVariant(joint)).toEqual({
      name: 'Spec joint (LoRA only)',
      modelId: 'm1',
      loraAdapterId: 'a1',
      softPromptAdapterId: null,
      templateVersionId: 't1',
      demonstrationSetVersionId: null,
      decoding: { max_new_tokens: 8 },
    });
  });
});

describe('the contract’s remote', () => {
  const draft = {
    runOn: 'server' as const,
    kind: 'vllm' as const,
    baseUrl: ' http://gpu:8000/v1 ',
    apiKeyEnv: '',
    models: { plain: '/models/demo', lora: ' triage-joint-1.0.0 ' },
  };
  it('names every cell’s model, trims, and sends no key variable when none is given', () => {
    expect(toRemoteSpec(draft, 'compare', ['plain', 'lora'])).toEqual({
      remote: {
        kind: 'vllm',
        baseUrl: 'http://gpu:8000/v1',
        apiKeyEnv: null,
        models: { plain: '/models/demo', lora: 'triage-joint-1.0.0' },
      },
    });
    expect(toRemoteSpec({ ...draft, runOn: 'local' }, 'ablation', [])).toEqual({ remote: undefined });
  });

  it('refuses an ablation, a missing name, a bad URL or key variable, and reports it at the form’s remote field', () => {
    expect(toRemoteSpec(draft, 'ablation', [])).toMatchObject({ error: expect.stringContaining('An ablation runs') });
    expect(toRemoteSpec(draft, 'compare', ['plain', 'other'])).toEqual({
      error: 'Name the model of every cell on the server',
    });
    expect(toRemoteSpec({ ...draft, baseUrl: 'gpu:8000' }, 'compare', ['plain'])).toMatchObject({
      error: expect.stringMatching(/^Base URL: /),
    });
    expect(toRemoteSpec({ ...draft, apiKeyEnv: 'my key' }, 'compare', ['plain'])).toMatchObject({
      error: expect.stringMatching(/^API key variable: an environment variable name/),
    });
    const form = {
      ...emptyForm(),
      name: 'Remote',
      datasetVersionId: 'v1',
      compareIds: ['plain'],
      metrics: [draftOf('exact_match')],
      remote: { ...draft, models: {} },
    };
    expect(toExperimentSpec(form, 10)).toEqual({ errors: { remote: 'Name the model of every cell on the server' } });
    const ok = toExperimentSpec({ ...form, remote: draft }, 10);
    expect('spec' in ok && ok.spec.remote?.models).toEqual({ plain: '/models/demo' });
  });
});

describe('the server line of a remote experiment', () => {
  it('names the server, its version, each cell’s model and what it served when checked', () => {
    const e = {
      cells: [{ specializationId: 'plain', label: 'Plain', components: [], mask: null }],
      createdAt: '2026-12-01T00:00:00.000Z',
      spec: {
        remote: {
          kind: 'vllm',
          baseUrl: 'http://gpu:8000/v1',
          apiKeyEnv: null,
          models: { plain: '/models/demo' },
          identity: {
            kind: 'vllm',
            baseUrl: 'http://gpu:8000/v1',
            models: served,
            version: 'vLLM 0.11.0',
            checkedAt: '2026-12-01T00:00:00.000Z',
          },
        },
      },
    } as unknown as Experiment;
    const text = textOf(<RemoteServerLine experiment={e} />);
    expect(text).toMatch(
      /^Generated on vLLM at http:\/\/gpu:8000\/v1 \(vLLM 0\.11\.0\) · Plain → \/models\/demo · it served \/models\/demo, triage-joint-1\.0\.0 when checked /,
    );
    expect(textOf(<RemoteServerLine experiment={{ ...e, spec: { ...e.spec, remote: undefined } }} />)).toBe('');
  });
});
