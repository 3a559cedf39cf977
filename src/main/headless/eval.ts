// `dovetail eval <experiment.json>`: runs an experiment headless and exits non-zero when a threshold or a limit of its
// performance budget fails (for CI pipelines). The file names things as people do (dataset and specializations by
// name or id); an experiment with the same name and spec is reused, so a re-run only computes missing outputs.
import { z } from 'zod';
import { ExperimentSpec, type Api, type ExperimentSpecIn } from '../../shared/contract';
import { PerformanceBudget } from '../../shared/budget';
import { MetricSpec } from '../../shared/metrics';
import { UserError } from '../../shared/errors';
import { describeIssues } from '../../shared/zod-issues';
import { readUserText } from '../platform/files/text-stream';
import { formatResults } from './print-results';
import { writeReport } from './report';
import { waitForExperiment } from './wait';

export const EvalFile = z
  .object({
    name: z.string().trim().min(1),
    /** Dataset name (its latest version) or dataset version id. */
    dataset: z.string().min(1),
    split: z.enum(['train', 'validation', 'test']).default('test'),
    limit: z.number().int().min(1).nullable().default(null),
    /** Specialization names or ids: one = ablation of it (when `ablation` is true), several = comparison. */
    specializations: z.array(z.string().min(1)).min(1),
    ablation: z.boolean().default(false),
    metrics: z.array(MetricSpec).min(1),
    seed: z.number().int().min(0).default(0),
    batchSize: z.number().int().min(1).max(256).default(32),
    /** p95 latency / time to first token, tokens/s, context tokens, memory: judged like thresholds. */
    budget: PerformanceBudget.nullable().default(null),
  })
  .strict();

export async function runEval(
  api: Api,
  path: string,
  o: { report?: string; log: (...lines: string[]) => void },
): Promise<number> {
  const { text } = await readUserText(path, {
    where: path,
    maxBytes: 4 * 1024 * 1024,
    expected: 'an experiment file (JSON)',
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Cannot read ${path} as JSON: ${error instanceof Error ? error.message : String(error)}`, {
      where: path,
      hint: 'Give an experiment file; see README (dovetail eval).',
    });
  }
  const parsed = EvalFile.safeParse(raw);
  if (!parsed.success)
    throw new UserError(`${path} is not a valid experiment file: ${describeIssues(parsed.error)}`, {
      where: path,
      code: 'validation',
    });
  const f = parsed.data;
  const datasets = await api.datasets.list({});
  const version = datasets
    .flatMap((d) => d.versions.map((v, i) => ({ d, v, latest: i === 0 })))
    .find(({ d, v, latest }) => v.id === f.dataset || (latest && d.name === f.dataset))?.v;
  if (!version)
    throw new UserError(`No dataset "${f.dataset}" in this workspace`, {
      where: `${path}: dataset`,
      hint: `Known: ${datasets.map((d) => d.name).join(', ') || 'none'}`,
    });
  const all = await api.specializations.list({});
  const ids = f.specializations.map((s) => {
    const found = all.find((x) => x.id === s) ?? all.find((x) => x.name === s);
    if (!found)
      throw new UserError(`No specialization "${s}" in this workspace`, {
        where: `${path}: specializations`,
        hint: 'Create it in the app or with `call specializations.create`.',
      });
    return found.id;
  });
  if (f.ablation && ids.length !== 1)
    throw new UserError('An ablation takes exactly one specialization', { where: `${path}: specializations` });
  const spec: ExperimentSpecIn = {
    name: f.name,
    datasetVersionId: version.id,
    split: f.split,
    limit: f.limit,
    metrics: f.metrics,
    seed: f.seed,
    batchSize: f.batchSize,
    budget: f.budget,
    design: f.ablation
      ? { kind: 'ablation', specializationId: ids[0] as string }
      : { kind: 'compare', specializationIds: ids },
  };
  const canonical = JSON.stringify(ExperimentSpec.parse(spec));
  const existing = (await api.experiments.list({})).find((e) => JSON.stringify(e.spec) === canonical);
  const experiment = existing ?? (await api.experiments.create(spec));
  if (experiment.state !== 'completed') await api.experiments.run({ id: experiment.id });
  const ran = await waitForExperiment(api, experiment.id, f.name);
  if (ran.state !== 'completed')
    throw new UserError(`The experiment ended ${ran.state}: ${ran.error?.message ?? ''}`, {
      hint: ran.error?.hint ?? 'Run the command again to resume.',
    });
  const results = await api.experiments.results({ id: experiment.id });
  o.log(...formatResults(results));
  if (o.report) {
    const record = await api.reports.generate({ kind: 'experiment', subject: experiment.id });
    await writeReport(api, record.id, o.report);
    o.log(`Report: ${o.report}`);
  }
  return results.passed === false || results.budgetPassed === false ? 1 : 0;
}
