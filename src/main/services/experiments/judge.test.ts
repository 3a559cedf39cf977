// Model-graded metrics through the composed app on the demo workspace: a judge specialization on the bundled demo
// model answers a label grader for each output. The tiny model answers badly, so what is checked is the pipeline: the
// judge's prompt rendered from the metric's template, the raw answers recorded per row, unparseable answers counted
// (never scored 0 or 1), the judge's hash in the result, and the same answers again from the same seed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Api, DemoWorkspace } from '../../../shared/contract';
import type { MetricSpecInput } from '../../../shared/metrics';
import type { ComposedApp } from '../../compose';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('judge');
let api: Api;
let demo: DemoWorkspace;
let app: ComposedApp;
beforeAll(() => {
  ({ api, demo, app } = ctx);
});

const PROMPT =
  'Message: {{ input }}\nReply: {{ output }}\nIs the reply about billing? Answer with one of: {{ labels }}.\nAnswer:';

describe('judge metrics', () => {
  it('judges every output with a local judge, records its raw answers and counts the unparseable ones', async () => {
    const modelId = demo.modelIds[0] as string;
    const datasetVersionId = await ctx.triageVersionId();
    const cellTemplate = await api.templates.save({
      name: 'Triage',
      source: 'Message: {{ message }}\nTicket:',
      message: 'm',
    });
    const cell = await api.specializations.create({
      name: 'Triage prompt',
      modelId,
      templateVersionId: cellTemplate.id,
      decoding: { do_sample: false, max_new_tokens: 8 },
    });
    const judgeTemplate = await api.templates.save({ name: 'Judge', source: 'Grade.\n{{ prompt }}', message: 'j' });
    // Sampling in the judge's own settings: the metric decodes greedily anyway, so answers are reproducible.
    const judge = await api.specializations.create({
      name: 'Demo judge',
      modelId,
      templateVersionId: judgeTemplate.id,
      decoding: { do_sample: true, temperature: 1.5, max_new_tokens: 6 },
    });
    const metric: MetricSpecInput = {
      kind: 'judge',
      name: 'About billing',
      judge: judge.id,
      prompt: PROMPT,
      answer: { kind: 'labels', labels: ['yes', 'no'], passing: ['yes'] },
    };
    const experiment = await api.experiments.create({
      name: 'Judged',
      datasetVersionId,
      split: 'test',
      limit: 4,
      batchSize: 2,
      design: { kind: 'compare', specializationIds: [cell.id] },
      metrics: [metric, { kind: 'length', unit: 'chars' }],
    });
    await api.experiments.run({ id: experiment.id });
    const done = await app.services.experiments.settled(experiment.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');

    const results = await api.experiments.results({ id: experiment.id });
    const judged = results.cells[0]?.metrics[0];
    expect(judged?.judge).toMatchObject({
      specializationId: judge.id,
      specializationHash: judge.hash,
      name: 'Demo judge',
      answered: 4,
    });
    // Every answer is either read (in n) or counted as unparseable: none is dropped or scored silently.
    expect((judged?.n ?? 0) + (judged?.judge?.unparseable ?? 0)).toBe(4);
    if ((judged?.n ?? 0) >= 2) expect(judged?.ci).not.toBeNull();

    const { rows } = await api.experiments.outputs({ id: experiment.id, offset: 0, limit: 10, filter: 'all' });
    expect(rows).toHaveLength(4);
    const answers = rows.map((r) => r.outputs[0]?.judged?.[0]);
    for (const a of answers) {
      expect(typeof a?.answer).toBe('string');
      if (a?.score === null) expect(a.reason).toMatch(/^The judge's answer names (none|more than one) of the labels/);
      else expect([0, 1]).toContain(a?.score);
    }
    expect(answers.filter((a) => a?.score === null)).toHaveLength(judged?.judge?.unparseable ?? -1);

    // The judge's prompt: the metric's template over the row and the output, inside the judge's own template.
    const example = await api.experiments.example({ id: experiment.id, exampleIdx: 0 });
    const message = String(rows[0]?.input.message);
    const output = rows[0]?.outputs[0]?.text ?? '';
    expect(example.cells[0]?.judgePrompts?.[0]).toEqual({
      metric: 0,
      label: 'About billing',
      judge: 'Demo judge',
      prompt: `Grade.\nMessage: ${message}\nReply: ${output}\nIs the reply about billing? Answer with one of: yes, no.\nAnswer:`,
    });

    // The report's lineage names the judge with its hash, as the judge of the metric.
    const report = await app.services.experiments.reportDocument(experiment.id, []);
    expect(report.lineage.objects).toContainEqual(
      expect.objectContaining({
        kind: 'specialization',
        id: judge.id,
        hash: judge.hash,
        detail: expect.objectContaining({ 'judge of': 'About billing' }),
      }),
    );

    // The same seed gives the same answers: the stored answers are removed and judged again.
    const removed = app.workspace.active.db.prepare("DELETE FROM outputs WHERE spec_hash LIKE '%#judge'").run();
    expect(removed.changes).toBe(4);
    await api.experiments.run({ id: experiment.id });
    expect((await app.services.experiments.settled(experiment.id)).state).toBe('completed');
    const again = await api.experiments.outputs({ id: experiment.id, offset: 0, limit: 10, filter: 'all' });
    expect(again.rows.map((r) => r.outputs[0]?.judged?.[0]?.answer)).toEqual(answers.map((a) => a?.answer));
  });

  it('refuses a judge metric whose judge specialization does not exist, naming the metric', async () => {
    const modelId = demo.modelIds[0] as string;
    const cell = await api.specializations.create({ name: 'Bare', modelId, decoding: { max_new_tokens: 4 } });
    await expect(
      api.experiments.create({
        name: 'No judge',
        datasetVersionId: await ctx.triageVersionId(),
        split: 'test',
        limit: 2,
        design: { kind: 'compare', specializationIds: [cell.id] },
        metrics: [
          {
            kind: 'judge',
            name: 'Tone',
            judge: 'no-such-judge',
            prompt: 'Tone of {{ output }}?',
            answer: { kind: 'labels', labels: ['neutral', 'rude'], passing: ['neutral'] },
          },
        ],
      }),
    ).rejects.toMatchObject({
      name: 'UserError',
      code: 'judge-missing',
      message: expect.stringContaining('The metric "Tone" needs its judge specialization'),
    });
  });
});
