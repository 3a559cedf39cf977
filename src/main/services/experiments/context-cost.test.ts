// Context cost per component through the composed app on the demo model: the template and the demonstrations each
// add what their own rendering adds, counted by the engine's tokenizer, and the parts sum to what a call costs.
import { beforeAll, expect, it } from 'vitest';
import type { Api, DemoWorkspace } from '../../../shared/contract';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('context-cost');
let api: Api;
let demo: DemoWorkspace;
beforeAll(() => {
  ({ api, demo } = ctx);
});

it('gives the tokens the input, the template and the demonstrations each add, summing to the mean call', async () => {
  const version = (await api.datasets.list({})).find((d) => d.name === 'Support triage')?.versions[0];
  if (!version) throw new Error('the demo workspace has no Support triage dataset');
  const modelId = demo.modelIds[0] as string;
  const template = await api.templates.save({ name: 'Costed', source: 'Message: {{ message }}\nTicket: ' });
  const train = await api.datasets.rows({ versionId: version.id, split: 'train', offset: 0, limit: 3 });
  const shots = await api.templates.saveDemonstrations({
    name: 'Three shots',
    datasetVersionId: version.id,
    rowKeys: train.rows.map((r) => r.key),
  });
  const plain = await api.specializations.create({ name: 'Input only', modelId });
  const templated = await api.specializations.create({ name: 'Templated', modelId, templateVersionId: template.id });
  // The same wording with the demonstrations before it: without any, it renders exactly as the first template.
  const withShots = await api.templates.save({
    name: 'Costed with shots',
    source:
      '{% for e in examples %}Message: {{ e.message }}\nTicket: {{ e.ticket }}\n\n{% endfor %}Message: {{ message }}\nTicket: ',
  });
  const shown = await api.specializations.create({
    name: 'With shots',
    modelId,
    templateVersionId: withShots.id,
    demonstrationSetVersionId: shots.id,
    decoding: { max_new_tokens: 2 },
  });
  const where = { datasetVersionId: version.id, split: 'test' as const, rows: 8 };
  const [a, b, c] = await Promise.all(
    [plain, templated, shown].map((s) => api.experiments.contextCost({ specializationId: s.id, ...where })),
  );
  expect(a).toMatchObject({ rows: 8, template: 0, demonstrations: 0, softPrompt: 0 });
  expect(b?.input).toBeCloseTo(a?.input ?? NaN, 10);
  // "Message: " and "\nTicket: " cost a few tokens on every call.
  expect(b?.template).toBeGreaterThan(2);
  expect(b?.demonstrations).toBe(0);
  expect(c?.template).toBeCloseTo(b?.template ?? NaN, 10);
  // Three demonstrations, each a rendered example with its answer: far more than the template itself.
  expect(c?.demonstrations).toBeGreaterThan(3 * (b?.template ?? 0));
  for (const cost of [a, b, c]) {
    if (!cost) throw new Error('no cost');
    expect(cost.meanTotal).toBeCloseTo(cost.input + cost.template + cost.demonstrations + cost.softPrompt, 10);
    expect(cost.longest).toBeGreaterThanOrEqual(cost.meanTotal);
  }

  // The same rows generated: what a call measured is what the parts add up to, and the longest is the budget's figure.
  const experiment = await api.experiments.create({
    name: 'Context check',
    datasetVersionId: version.id,
    limit: 8,
    batchSize: 8,
    design: { kind: 'compare', specializationIds: [shown.id] },
    metrics: [{ kind: 'json_valid' }],
  });
  await api.experiments.run({ id: experiment.id });
  expect((await ctx.app.services.experiments.settled(experiment.id)).state).toBe('completed');
  const cell = (await api.experiments.results({ id: experiment.id })).cells[0];
  expect(cell?.meanPromptTokens).toBeCloseTo(c?.meanTotal ?? NaN, 10);
  expect(cell?.performance.maxContextTokens).toBe(c?.longest);
}, 120_000);
