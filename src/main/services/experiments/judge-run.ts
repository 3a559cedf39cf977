// Model-graded metrics: a local judge specialization answers, for each output of a cell, the metric's prompt (a
// template over the input, the output, the reference and the row), rendered by the one renderer. The answers are
// stored like outputs, keyed by what makes them (the judge's content hash and weight format, greedy decoding with the
// experiment's seed, and a hash of the metric's prompt and answer format, the example and the output), so a re-run
// or another experiment judging the same output reuses them and scores are reproducible.
import { createHash } from 'node:crypto';
import type { Specialization } from '../../../shared/contract/specializations';
import { canonicalDecodingSettings, type DecodingOverrides } from '../../../shared/decoding-settings';
import { CancelledError, UserError } from '../../../shared/errors';
import { metricLabel, type MetricSpec } from '../../../shared/metrics';
import type { WeightFormat } from '../../../shared/weight-format';
import type { EngineClient } from '../../engine/client';
import { isEngineInterruption } from '../../engine/engine-errors';
import type { ResolvedSpecialization } from '../specializations';
import { promptsFor } from '../specializations';
import type { RowPrompt } from '../specializations/resolve';
import { compile, type RowRoles } from '../templates';
import type { Example } from './examples';
import { stableJson } from './examples';
import type { ExperimentStore, StoredOutput } from './experiment-store';
import type { Collected, JudgedAnswers } from './results';

export type JudgeMetric = Extract<MetricSpec, { kind: 'judge' }>;

/** What keys one judge's answers besides the judged output. */
export interface JudgeKey {
  specHash: string;
  decodingHash: string;
  seed: number;
}

/** Greedy, seeded: a judge's answers must not change between runs of the same experiment. */
export function judgeDecoding(judge: Pick<Specialization, 'decoding'>, seed: number): DecodingOverrides {
  return { ...judge.decoding, do_sample: false, seed };
}

export function judgeKey(
  judge: Pick<Specialization, 'hash' | 'decoding'>,
  format: WeightFormat,
  seed: number,
): JudgeKey {
  const model = format === 'stored' ? judge.hash : `${judge.hash}@${format}`;
  return {
    specHash: `${model}#judge`,
    decodingHash: createHash('sha256')
      .update(canonicalDecodingSettings(judgeDecoding(judge, seed)))
      .digest('hex'),
    seed,
  };
}

/** The stored answer's key for one output: the metric's prompt and answer format, the example and the output. */
export function judgedHash(metric: JudgeMetric, example: Pick<Example, 'hash'>, output: string): string {
  return createHash('sha256')
    .update(stableJson(['judge/1', metric.prompt, metric.answer, example.hash, output]))
    .digest('hex');
}

/** The fields the metric's prompt may read. */
export function judgeRow(
  metric: JudgeMetric,
  example: Example,
  output: string,
  inputFields: readonly string[],
): Record<string, unknown> {
  const input = inputFields
    .map((f) => example.data[f])
    .map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)))
    .join('\n');
  const a = metric.answer;
  return {
    input,
    output,
    reference: example.reference ?? '',
    item: example.data,
    sample: { output_text: output },
    ...(a.kind === 'labels' ? { labels: a.labels.join(', ') } : { min: a.min, max: a.max }),
  };
}

/** Rows the judge's own template sees: the rendered grading prompt as `prompt`, beside the parts it was made of. */
const JUDGE_ROLES: RowRoles = { input: ['prompt'], reference: null };
const PROMPT_ROLES: RowRoles = { input: [], reference: null };

/**
 * What the judge is given for each (example, output): the metric's prompt rendered, then the judge specialization's
 * own template over it (a judge without a template is given the prompt as it is).
 */
export async function judgePrompts(
  metric: JudgeMetric,
  judge: ResolvedSpecialization,
  batch: readonly { example: Example; output: string }[],
  inputFields: readonly string[],
  signal?: AbortSignal,
): Promise<RowPrompt[]> {
  const label = metricLabel(metric);
  const compiled = compile({ source: metric.prompt, system: null, chat: false }, `metric "${label}": prompt`);
  const where = (e: Example): string => `row ${e.key} (judge of "${label}")`;
  const rows = batch.map((b) => judgeRow(metric, b.example, b.output, inputFields));
  const rendered = await judge.render(
    compiled,
    PROMPT_ROLES,
    batch.map((b, i) => ({ row: rows[i] as Record<string, unknown>, examples: [], where: where(b.example) })),
    { stopOnError: true, ...(signal ? { signal } : {}) },
  );
  const judgeRows = rendered.map((outcome, i) => {
    if (!outcome.ok) throw outcome.error;
    const b = batch[i] as (typeof batch)[number];
    const row = rows[i] as Record<string, unknown>;
    return { row: { prompt: outcome.rendered.text, input: row.input, output: b.output }, where: where(b.example) };
  });
  return promptsFor(judge, judgeRows, JUDGE_ROLES, signal);
}

/**
 * The judge's answers for a batch of (example, output) pairs, as outputs to store. The metric's prompt is rendered
 * first, then the judge specialization's own template over it (a judge without a template is given the prompt as
 * it is). A failing judge is a UserError naming the metric and the judge; a crashed engine stays an interruption.
 */
export async function judgeBatch(
  metric: JudgeMetric,
  judge: ResolvedSpecialization,
  key: JudgeKey,
  batch: readonly { example: Example; output: string }[],
  inputFields: readonly string[],
  engine: EngineClient,
  signal: AbortSignal,
): Promise<StoredOutput[]> {
  const label = metricLabel(metric);
  try {
    const prompts = (await judgePrompts(metric, judge, batch, inputFields, signal)).map((p) => p.prompt);
    const result = await engine.request(
      'generate',
      {
        model: { folder: judge.model.folder, contentHash: judge.model.contentHash },
        prompts,
        settings: judgeDecoding(judge.spec, key.seed),
        adapterFolders: judge.adapterFolders,
        stream: false,
      },
      { signal },
    );
    if (result.rows.some((r) => r.finishReason === 'cancelled'))
      throw new CancelledError('The experiment was cancelled');
    return result.rows.map((r, i) => ({
      ...key,
      exampleHash: judgedHash(
        metric,
        (batch[i] as (typeof batch)[number]).example,
        (batch[i] as (typeof batch)[number]).output,
      ),
      text: r.text,
      finishReason: r.finishReason,
      promptTokens: r.promptTokens + judge.softPromptTokens,
      generatedTokens: r.generatedTokens,
      timeToFirstTokenMs: r.timeToFirstTokenMs,
      totalMs: r.totalMs,
      tokensPerSecond: r.tokensPerSecond,
      peakRssBytes: result.peakRssBytes ?? null,
    }));
  } catch (error) {
    if (error instanceof CancelledError || signal.aborted || isEngineInterruption(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`The judge "${judge.spec.name}" of the metric "${label}" failed: ${reason}`, {
      code: error instanceof UserError ? (error.code ?? 'judge-failed') : 'judge-failed',
      where: error instanceof UserError ? (error.where ?? `metric "${label}"`) : `metric "${label}"`,
      hint:
        (error instanceof UserError ? error.hint : undefined) ??
        'Check that the judge specialization runs in the Playground (its model and adapters are present), or pick another judge.',
      cause: error,
    });
  }
}

/** A judge metric's stored answers for every collected output ([cell][example]; null where none is stored). */
export function storedAnswers(
  metric: JudgeMetric,
  judge: Pick<Specialization, 'id' | 'hash' | 'name'>,
  key: JudgeKey,
  collected: Collected,
  store: ExperimentStore,
): JudgedAnswers {
  const { examples } = collected.examples;
  const hashes = collected.outputs.map((cell) =>
    cell.map((o, i) => (o === null ? null : judgedHash(metric, examples[i] as Example, o.text))),
  );
  const found = store.outputs(
    key.specHash,
    key.decodingHash,
    key.seed,
    hashes.flat().filter((h): h is string => h !== null),
  );
  return {
    specializationId: judge.id,
    specializationHash: judge.hash,
    name: judge.name,
    answers: hashes.map((cell) => cell.map((h) => (h === null ? null : (found.get(h)?.text ?? null)))),
  };
}

/** A metric's judge as the run needs it, or a UserError that says which judge is missing. */
export async function resolveJudge(
  metric: JudgeMetric,
  resolve: (id: string) => Promise<ResolvedSpecialization>,
): Promise<ResolvedSpecialization> {
  try {
    return await resolve(metric.judge);
  } catch (error) {
    throw judgeMissing(metric, error);
  }
}

export function judgeMissing(metric: JudgeMetric, cause: unknown): UserError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new UserError(
    `The metric "${metricLabel(metric)}" needs its judge specialization, which cannot be used: ${reason}`,
    {
      code: 'judge-missing',
      where: `metric "${metricLabel(metric)}": judge`,
      hint: 'Pick a judge specialization (a model with a template) for the metric, then run again.',
      cause,
    },
  );
}
