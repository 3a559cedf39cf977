// A channel's performance budget over the composed app on the demo model: an experiment measures a specialization
// (real engine worker, real database), a release carries that evidence, and a promotion is refused while the
// release's measured figures miss the budget, then passes once the budget allows them.
import { expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { waitForExperiment } from '../../headless/wait';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('budget-gate');

it('refuses a promotion whose release misses the channel budget, naming the limit, and passes within it', async () => {
  const { api, demo } = ctx;
  const template = await api.templates.save({ name: 'Triage', source: 'Message: {{ message }}\nTicket: ' });
  const spec = await api.specializations.create({
    name: 'Templated',
    modelId: demo.modelIds[0] as string,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 8 },
  });
  const experiment = await api.experiments.create({
    name: 'Speed check',
    datasetVersionId: await ctx.triageVersionId(),
    limit: 4,
    batchSize: 4,
    design: { kind: 'compare', specializationIds: [spec.id] },
    metrics: [{ kind: 'json_valid' }],
  });
  await api.experiments.run({ id: experiment.id });
  expect((await waitForExperiment(api, experiment.id, 'Speed check')).state).toBe('completed');
  const release = await api.releases.create({
    specializationId: spec.id,
    name: 'triage',
    version: '1.0.0',
    experimentIds: [experiment.id],
  });
  const evidence = release.evidence[0];
  const figures = evidence?.kind === 'experiment' ? evidence.performance : undefined;
  expect(figures?.maxContextTokens).toBeGreaterThan(2);
  expect(figures?.peakMemoryBytes).toBeGreaterThan(0);

  const staging = (await api.releases.channels({})).find((c) => c.name === 'staging');
  if (!staging) throw new Error('no staging channel');
  const gates = { approvalByOther: false, approvedTemplate: false, metrics: [], reviewWin: false };
  await api.releases.setGates({ channelId: staging.id, gates: { ...gates, budget: { maxContextTokens: 2 } } });
  const refused = await api.releases.promote({ channelId: staging.id, releaseId: release.id }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(UserError);
  expect((refused as UserError).code).toBe('gates-unmet');
  expect((refused as UserError).message).toMatch(
    /Context tokens: \d+ tokens over 4 calls; needs at most 2 tokens \(in "Speed check"\)/,
  );

  await api.releases.setGates({
    channelId: staging.id,
    gates: { ...gates, budget: { maxContextTokens: 100_000, maxMemoryMiB: 1_000_000 } },
  });
  expect((await api.releases.promote({ channelId: staging.id, releaseId: release.id })).releaseId).toBe(release.id);
  const view = await api.releases.budget({ channelId: staging.id });
  expect(view.evidence?.checks.map((c) => [c.name, c.met])).toEqual([
    ['Context tokens', true],
    ['Memory', true],
  ]);
}, 180_000);
