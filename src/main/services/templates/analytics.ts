// Demonstration analytics: the leave-one-out contribution of each demonstration on a validation sample. For each
// sampled row the prompt is generated with every demonstration it gets and once without each of them (one batched,
// greedy engine `generate`, the path experiments use), the outputs are scored against the row's reference with the
// eval library, and demonstrations.ts averages the paired differences (with n and a bootstrap CI).
import type { ModelRecord } from '../../../shared/contract/models';
import type { DemonstrationAnalytics, DemonstrationSetVersion } from '../../../shared/contract/templates';
import type { MetricSpec } from '../../../shared/metrics';
import { UserError } from '../../../shared/errors';
import { scoreExample } from '../../eval';
import type { EngineClient } from '../../engine/client';
import type { GenerationPrompt } from '../../engine/generation-protocol';
import { generationPrompt } from './checks';
import type { DatasetReader } from './dataset-reader';
import { leaveOneOut, type LeaveOneOutRow, type PoolRow } from './demonstrations';
import { renderRows, type CompiledTemplate, type RowToRender, type TemplateRenderer } from './render';

export const ANALYTICS_NEW_TOKENS = 48;
/** The engine takes at most 256 prompts per call. */
const MAX_PROMPTS = 256;

export interface AnalyticsInput {
  readonly compiled: CompiledTemplate;
  readonly set: DemonstrationSetVersion;
  readonly model: ModelRecord;
  readonly sample: number;
  readonly metric: MetricSpec;
  readonly examplesFor: (row: Record<string, unknown>) => PoolRow[];
}

export async function demonstrationAnalytics(
  input: AnalyticsInput,
  deps: { datasets: DatasetReader; engine: EngineClient; renderer: TemplateRenderer },
): Promise<DemonstrationAnalytics> {
  const facts = deps.datasets.versionFacts(input.set.datasetVersionId);
  if (facts.roles.reference === null) {
    throw new UserError(`${facts.name} v${facts.version} has no reference field to score outputs against`, {
      code: 'demos-analytics',
      where: 'demonstrationSetVersionId',
    });
  }
  const rows = deps.datasets.readRows(input.set.datasetVersionId, 'validation', { limit: input.sample });
  if (rows.length === 0)
    throw new UserError(`${facts.name} v${facts.version} has no validation rows`, {
      code: 'demos-analytics',
      where: 'demonstrationSetVersionId',
    });

  // Prompts in order: per row, [all, without demo 0, without demo 1, ...], rendered in one batch.
  const toRender: RowToRender[] = [];
  const plan = rows.map((row) => {
    const picks = input.examplesFor(row.data);
    const variants = [picks, ...picks.map((_p, i) => picks.filter((_q, j) => j !== i))];
    const start = toRender.length;
    for (const examples of variants)
      toRender.push({ row: row.data, examples: examples.map((e) => e.data), where: `row ${row.idx + 1}` });
    const ref = row.data[facts.roles.reference!];
    return {
      start,
      keys: picks.map((p) => p.key),
      reference: typeof ref === 'string' ? ref : ref === undefined || ref === null ? null : JSON.stringify(ref),
    };
  });
  if (toRender.length > MAX_PROMPTS) {
    throw new UserError(`The analysis needs ${toRender.length} generations, over the ${MAX_PROMPTS} of one run`, {
      code: 'demos-analytics',
      where: 'sample',
      hint: 'Use a smaller sample or fewer demonstrations.',
    });
  }
  const prompts: GenerationPrompt[] = [];
  for (const outcome of await renderRows(deps.renderer, input.compiled, facts.roles, toRender, { stopOnError: true })) {
    if (!outcome.ok) throw outcome.error;
    prompts.push(generationPrompt(outcome.rendered));
  }
  const out = await deps.engine.request('generate', {
    model: { folder: input.model.folder, contentHash: input.model.contentHash },
    prompts,
    settings: { do_sample: false, max_new_tokens: ANALYTICS_NEW_TOKENS },
    adapterFolders: [],
    stream: false,
  });
  const score = (i: number, reference: string | null): number =>
    scoreExample(input.metric, { output: out.rows[i]!.text, reference }).score ?? 0;
  const looRows: LeaveOneOutRow[] = plan.map((p) => ({
    all: score(p.start, p.reference),
    without: new Map(p.keys.map((key, i) => [key, score(p.start + 1 + i, p.reference)])),
  }));
  const result = leaveOneOut(input.set.rowKeys, looRows);
  return { metric: input.metric.kind, ...result };
}
