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
  const f = await readJsonFile(path, EvalFile, 'an experiment file', 'see README (dovetail eval)');
  const version = await datasetVersionNamed(api, f.dataset, path);
  const ids = await specializationsNamed(api, f.specializations, path);
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

/** A dataset version by its id, or a dataset's latest version by the dataset's name. */
export async function datasetVersionNamed(api: Api, name: string, path: string): Promise<{ id: string }> {
  const datasets = await api.datasets.list({});
  const version = datasets
    .flatMap((d) => d.versions.map((v, i) => ({ d, v, latest: i === 0 })))
    .find(({ d, v, latest }) => v.id === name || (latest && d.name === name))?.v;
  if (!version)
    throw new UserError(`No dataset "${name}" in this workspace`, {
      where: `${path}: dataset`,
      hint: `Known: ${datasets.map((d) => d.name).join(', ') || 'none'}`,
    });
  return version;
}

/** Specializations by id or name. */
export async function specializationsNamed(api: Api, names: readonly string[], path: string): Promise<string[]> {
  const all = await api.specializations.list({});
  return names.map((s) => {
    const found = all.find((x) => x.id === s) ?? all.find((x) => x.name === s);
    if (!found)
      throw new UserError(`No specialization "${s}" in this workspace`, {
        where: `${path}: specializations`,
        hint: 'Create it in the app or with `call specializations.create`.',
      });
    return found.id;
  });
}

/** A JSON file of a headless command, read under the user-file checks and validated; errors name the file. */
export async function readJsonFile<T extends z.ZodType>(
  path: string,
  schema: T,
  what: string,
  help: string,
): Promise<z.output<T>> {
  const { text } = await readUserText(path, { where: path, maxBytes: 4 * 1024 * 1024, expected: `${what} (JSON)` });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Cannot read ${path} as JSON: ${error instanceof Error ? error.message : String(error)}`, {
      where: path,
      hint: `Give ${what}; ${help}.`,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new UserError(`${path} is not a valid ${what.replace(/^an? /, '')}: ${describeIssues(parsed.error)}`, {
      where: path,
      code: 'validation',
    });
  return parsed.data;
}
