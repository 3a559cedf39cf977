// The training moment through the composed app (real services, SQLite, the engine worker and the demo workspace): a
// dataset whose train rows repeat the Support triage test rows an experiment evaluates, and holding an email
// address, is warned about in the training estimate; a blocking privacy policy refuses to start training.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('guards');

describe('guards before training', () => {
  it('warns about personal data and train/evaluation overlap in the estimate, and a block policy refuses to start', async () => {
    const { api, demo, dir } = ctx;
    const triage = await ctx.triageVersionId();
    const modelId = demo.modelIds[0] as string;
    const base = await api.specializations.create({ name: 'Base only', modelId });
    await api.experiments.create({
      name: 'Held out',
      datasetVersionId: triage,
      split: 'test',
      design: { kind: 'compare', specializationIds: [base.id] },
      metrics: [{ kind: 'exact_match' }],
    });

    // Ten test rows copied into a training file (two re-cased and stripped of punctuation), plus one with an email.
    const test = (await api.datasets.rows({ versionId: triage, split: 'test', limit: 10 })).rows.map((r) => r.data);
    const rows = test.map((r, i) => ({
      message:
        i < 2
          ? String(r.message)
              .toUpperCase()
              .replace(/[.,!?]/g, '')
          : r.message,
      output: r.output,
    }));
    rows.push({ message: 'Please write to jane.doe@example.com about my parcel', output: '{}' });
    const file = path.join(dir, 'leaky.jsonl');
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const leaky = await api.datasets.import({
      newName: 'Leaky train',
      files: [{ path: file, split: 'train' }],
      split: { kind: 'given' },
      mapping: [
        { source: 'message', name: 'message', role: 'input' },
        { source: 'output', name: 'output', role: 'reference' },
      ],
    });
    expect(leaky.warnings.map((w) => w.code)).toContain('personal-data');

    const spec = {
      modelId,
      data: { kind: 'dataset' as const, datasetVersionId: leaky.version.id },
      template: { inputField: 'message', outputField: 'output', prompt: '{{ message }}', validationRows: 0 },
    };
    const estimate = await api.adapters.estimate(spec);
    expect(estimate.warnings).toContainEqual(
      expect.stringMatching(/^Personal data in Leaky train v1 \(train split\): 1 email address in message\./),
    );
    expect(estimate.warnings).toContainEqual(
      expect.stringContaining('10 of 11 training rows (8 exact, 2 near-duplicates'),
    );
    expect(estimate.warnings).toContainEqual(
      expect.stringContaining('test rows of Support triage v1 that experiment "Held out" evaluates on'),
    );
    expect(estimate.personalData).toEqual({ datasetVersionId: leaky.version.id, findings: 1 });

    await api.privacy.setPolicy({ onFinding: 'block', patterns: [] });
    await expect(api.adapters.startTraining(spec)).rejects.toMatchObject({ code: 'personal-data-blocked' });
    expect(await api.adapters.jobs({})).toEqual([]);
    await api.privacy.setPolicy({ onFinding: 'warn', patterns: [] });
  }, 120_000);
});
