// The imports service in the composed app on the demo workspace: a promptfoo config becomes a dataset (its tests in
// the test split), templates, one specialization per prompt on the chosen model and an experiment with the mapped
// metrics; a config with problems, or an unknown model, leaves the workspace as it was.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { useDemoApp } from '../../testing/demo-app';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const ctx = useDemoApp('imports');

async function counts() {
  const { api } = ctx;
  return {
    datasets: (await api.datasets.list({})).length,
    templates: (await api.templates.list({})).length,
    specializations: (await api.specializations.list({})).length,
    experiments: (await api.experiments.list({})).length,
  };
}

describe('imports service', () => {
  it('previews and imports a promptfoo config as dataset, templates, specializations and an experiment', async () => {
    const { api, demo } = ctx;
    const preview = await api.imports.inspectPromptfoo({ path: fixture('promptfooconfig.yaml') });
    expect(preview.problems).toEqual([]);
    expect(preview.dataset.rows).toBe(4);
    const modelId = demo.modelIds[0] ?? '';
    const before = await counts();
    const made = await api.imports.importPromptfoo({
      path: fixture('promptfooconfig.yaml'),
      name: 'Capitals',
      modelId,
    });
    expect(await counts()).toEqual({
      datasets: before.datasets + 1,
      templates: before.templates + 2,
      specializations: before.specializations + 2,
      experiments: before.experiments + 1,
    });
    const version = await api.datasets.get({ versionId: made.datasetVersionId });
    expect(version.splits).toEqual({ train: 0, validation: 0, test: 4 });
    expect(version.roles).toEqual({ input: ['question'], reference: 'expected', key: 'test', label: null });
    const experiment = await api.experiments.get({ id: made.experimentId });
    expect(experiment.spec.design).toEqual({ kind: 'compare', specializationIds: made.specializationIds });
    expect(experiment.spec.metrics.map((m) => m.kind)).toEqual(['contains', 'exact_match', 'regex']);
    const template = await api.templates.version({ id: made.templateVersionIds[1] ?? '' });
    expect(template.source).toBe('Answer in one word.\nQ: {{ question }}\nA:\n');
  });

  it('refuses a config with problems, naming the first line, and writes nothing', async () => {
    const before = await counts();
    const error = await ctx.api.imports
      .importPromptfoo({ path: fixture('promptfoo-bad.yaml'), name: 'Bad', modelId: ctx.demo.modelIds[0] ?? '' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^Line 17 of promptfoo-bad\.yaml loads the var "text" of tests\[2\] from a file, which is not read\. 6 problems\./,
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown model before writing anything', async () => {
    const before = await counts();
    await expect(
      ctx.api.imports.importPromptfoo({
        path: fixture('promptfooconfig.yaml'),
        name: 'Other',
        modelId: 'no-such-model',
      }),
    ).rejects.toBeInstanceOf(UserError);
    expect(await counts()).toEqual(before);
  });

  it('imports a promptfoo config with its llm-rubric run by the picked judge, and refuses a judge that is not there', async () => {
    const { api, demo } = ctx;
    const modelId = demo.modelIds[0] ?? '';
    const judge = await api.specializations.create({ name: 'Rubric judge', modelId, decoding: { max_new_tokens: 4 } });
    const made = await api.imports.importPromptfoo({
      path: fixture('promptfooconfig.yaml'),
      name: 'Judged capitals',
      modelId,
      judgeId: judge.id,
    });
    const experiment = await api.experiments.get({ id: made.experimentId });
    expect(experiment.spec.metrics.map((m) => m.kind)).toEqual(['contains', 'exact_match', 'regex', 'judge']);
    expect(experiment.spec.metrics[3]).toMatchObject({ judge: judge.id, answer: { labels: ['pass', 'fail'] } });

    const before = await counts();
    await expect(
      api.imports.inspectGraders({ path: fixture('openai-graders.json'), judgeId: 'no-such-judge' }),
    ).rejects.toMatchObject({
      code: 'judge-missing',
      message: 'The judge specialization no-such-judge is not in this workspace',
    });
    expect(await counts()).toEqual(before);
  });
});
