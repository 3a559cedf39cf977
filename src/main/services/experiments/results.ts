// Results from stored outputs: per cell and metric the aggregate with a bootstrap CI; for an ablation the factorial
// analysis of the primary metric (effects, interactions, paired tests, Holm) with its verdict; thresholds -> pass.
// Computed on demand (scoring is cheap next to generation) so that a metric change needs no re-run.
import type {
  Ablation,
  CellResult,
  Experiment,
  ExperimentResults,
  MetricResult,
  OutputRow,
} from '../../../shared/contract/experiments';
import { checkBudget, hasBudget, performanceFigures } from '../../../shared/budget';
import { COMPONENT_LABELS, type Component } from '../../../shared/contract/specializations';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel, type MetricSpec } from '../../../shared/metrics';
import { aggregate, scoreExample, type ExampleScore } from '../../eval';
import {
  ablationVerdict,
  bootstrapMeanCI,
  factorialAnalysis,
  mcnemarTest,
  pairedBootstrapDiffCI,
  pairedPermutationTest,
} from '../../eval';
import type { ExperimentExamples } from './examples';
import type { ExperimentStore, StoredOutput } from './experiment-store';
import { versusBase } from './versus-base';

export const RESAMPLES = 2000;

export interface Collected {
  examples: ExperimentExamples;
  /** [cell][example]: the stored output or null. */
  outputs: (StoredOutput | null)[][];
  /** Per metric (in spec order): a judge metric's judge and its raw answers [cell][example] (null: not judged). */
  judged?: (JudgedAnswers | null)[];
}

export interface JudgedAnswers {
  specializationId: string;
  specializationHash: string;
  name: string;
  answers: (string | null)[][];
}

export function collectOutputs(
  store: ExperimentStore,
  examples: ExperimentExamples,
  keys: readonly { specHash: string; decodingHash: string; seed: number }[],
): Collected {
  const hashes = examples.examples.map((e) => e.hash);
  const outputs = keys.map((k) => {
    const found = store.outputs(k.specHash, k.decodingHash, k.seed, hashes);
    return hashes.map((h) => found.get(h) ?? null);
  });
  return { examples, outputs };
}

/** scores[metric][cell][example] (null: no output yet, or not scorable). */
export function scoreAll(metrics: readonly MetricSpec[], c: Collected): (ExampleScore | null)[][][] {
  return metrics.map((m, mi) =>
    c.outputs.map((cell, k) =>
      cell.map((o, i) =>
        o === null
          ? null
          : scoreExample(m, {
              output: o.text,
              reference: c.examples.examples[i]?.reference ?? null,
              outputTokens: o.generatedTokens,
              ...judgeAnswer(c, mi, k, i),
            }),
      ),
    ),
  );
}

/** The judge's answer for scoreExample (absent: not a judge metric, or not judged yet). */
function judgeAnswer(c: Collected, metric: number, cell: number, example: number): { judgeAnswer?: string } {
  const answer = c.judged?.[metric]?.answers[cell]?.[example];
  return answer === null || answer === undefined ? {} : { judgeAnswer: answer };
}

export function computeResults(experiment: Experiment, c: Collected): ExperimentResults {
  const { metrics, seed } = experiment.spec;
  const scores = scoreAll(metrics, c);
  const n = c.examples.examples.length;
  const completeRows = c.examples.examples.map((_, i) => c.outputs.every((cell) => cell[i] !== null));
  const cells: CellResult[] = experiment.cells.map((cell, k) => {
    const outs = (c.outputs[k] ?? []).filter((o): o is StoredOutput => o !== null);
    const metricResults: MetricResult[] = metrics.map((m, mi) =>
      metricResult(
        m,
        mi,
        (scores[mi]?.[k] ?? []).filter((s): s is ExampleScore => s !== null),
        seed,
        c.judged?.[mi] ?? null,
      ),
    );
    return {
      cell,
      n: outs.length,
      metrics: metricResults,
      meanPromptTokens: mean(outs.map((o) => o.promptTokens)) ?? 0,
      meanOutputTokens: mean(outs.map((o) => o.generatedTokens)) ?? 0,
      meanTimeToFirstTokenMs: mean(outs.flatMap((o) => (o.timeToFirstTokenMs === null ? [] : [o.timeToFirstTokenMs]))),
      meanTotalMs: mean(outs.map((o) => o.totalMs)),
      meanTokensPerSecond: mean(outs.flatMap((o) => (o.tokensPerSecond === null ? [] : [o.tokensPerSecond]))),
      performance: performanceFigures(outs),
      budget: [],
    };
  });
  const budget = experiment.spec.budget;
  if (hasBudget(budget)) for (const cell of cells) cell.budget = checkBudget(budget, cell.performance);
  const complete = completeRows.every(Boolean) && n > 0;
  const ablation =
    experiment.spec.design.kind === 'ablation' && complete ? ablationOf(experiment, scores[0] ?? [], cells) : null;
  // The verdict concerns the full specialization (an ablation's last cell) or, for a comparison, every cell.
  const judged = experiment.spec.design.kind === 'ablation' ? cells.slice(-1) : cells;
  const thresholds = judged.flatMap((cell) => cell.metrics.map((m) => m.pass)).filter((p): p is boolean => p !== null);
  const limits = judged.flatMap((cell) => cell.budget.map((b) => b.met));
  const vsBase = complete ? versusBase(experiment, scores, RESAMPLES) : null;
  return {
    experimentId: experiment.id,
    n: completeRows.filter(Boolean).length,
    complete,
    cells,
    ablation,
    versusBase: vsBase,
    passed: thresholds.length === 0 ? null : thresholds.every(Boolean) && complete,
    budgetPassed: limits.length === 0 ? null : limits.every(Boolean) && complete,
  };
}

function metricResult(
  m: MetricSpec,
  index: number,
  scored: readonly ExampleScore[],
  seed: number,
  judged: JudgedAnswers | null,
): MetricResult {
  const agg = aggregate(m, scored);
  const values = scored.map((s) => s.score).filter((v): v is number => v !== null);
  const result: MetricResult = {
    metric: index,
    label: metricLabel(m),
    value: agg.value,
    n: agg.n,
    ci: values.length >= 2 ? bootstrapMeanCI(values, { seed, resamples: RESAMPLES }).ci : null,
    pass: agg.passed ?? null,
  };
  if (agg.perField)
    result.perField = Object.fromEntries(
      Object.entries(agg.perField).flatMap(([f, a]) => (a.accuracy === null ? [] : [[f, a.accuracy]])),
    );
  if (agg.macroF1 !== undefined && agg.macroF1 !== null) result.macroF1 = agg.macroF1;
  if (agg.confusion)
    result.confusion = { labels: agg.confusion.labels, predicted: agg.confusion.columns, matrix: agg.confusion.matrix };
  if (m.kind === 'judge' && judged !== null)
    result.judge = {
      specializationId: judged.specializationId,
      specializationHash: judged.specializationHash,
      name: judged.name,
      answered: scored.filter((s) => s.detail?.answer !== undefined).length,
      unparseable: scored.filter((s) => s.detail?.unparseable === true).length,
    };
  return result;
}

function ablationOf(experiment: Experiment, primary: (ExampleScore | null)[][], cells: CellResult[]): Ablation | null {
  const full = experiment.cells[experiment.cells.length - 1];
  if (!full) return null;
  const components = full.components;
  const metric = experiment.spec.metrics[0] as MetricSpec;
  // The paired sample: examples scored in every cell.
  const rows = (primary[0] ?? [])
    .map((_, i) => i)
    .filter((i) => primary.every((cell) => cell[i]?.score !== null && cell[i] !== undefined));
  if (rows.length < 2) return null;
  const byMask: Record<number, number[]> = {};
  experiment.cells.forEach((cell, k) => {
    byMask[cell.mask ?? k] = rows.map((i) => primary[k]?.[i]?.score ?? 0);
  });
  const binary = METRIC_BINARY[metric.kind];
  const seed = experiment.spec.seed;
  const analysis = factorialAnalysis({ components, cells: byMask, binary, seed, resamples: RESAMPLES });
  const contextTokens = contextCost(components, cells);
  const labels = Object.fromEntries(components.map((c) => [c, `the ${COMPONENT_LABELS[c]}`]));
  const verdict = ablationVerdict(analysis, {
    labels,
    contextTokens,
    unit: binary ? 'pts' : '',
    direction: METRIC_DIRECTION[metric.kind],
  });
  const name = (c: string): string => COMPONENT_LABELS[c as Component];
  const all = (1 << components.length) - 1;
  const whole = pairedBootstrapDiffCI(byMask[all] ?? [], byMask[0] ?? [], { seed, resamples: RESAMPLES, stream: 300 });
  const wholeTest = binary
    ? mcnemarTest(
        (byMask[all] ?? []).map((v) => v === 1),
        (byMask[0] ?? []).map((v) => v === 1),
      )
    : pairedPermutationTest(byMask[all] ?? [], byMask[0] ?? [], { seed, stream: 301 });
  return {
    components,
    metric: metricLabel(metric),
    n: rows.length,
    cells: analysis.cells.map((c) => ({ mask: c.mask, components: c.on as Component[], mean: c.mean, ci: c.ci })),
    effects: analysis.effects.map((e) => ({
      terms: e.terms.map(name),
      estimate: e.estimate,
      ci: e.ci,
      p: e.p,
      pHolm: e.pHolm,
      test: e.test,
    })),
    comparisons: analysis.comparisons.map((x) => ({
      label:
        x.kind === 'drop'
          ? `full minus full without the ${name(x.component)}`
          : `the ${name(x.component)} alone minus base`,
      component: x.component as Component,
      estimate: x.estimate,
      ci: x.ci,
      p: x.p,
      pHolm: x.pHolm,
      test: x.test,
    })),
    fullVsBase: { estimate: whole.estimate, ci: whole.ci, p: wholeTest.p, test: binary ? 'mcnemar' : 'permutation' },
    contextTokens,
    verdict,
    seed,
    resamples: RESAMPLES,
  };
}

/** Mean prompt tokens with a component on minus off, averaged over the other components' settings. */
function contextCost(
  components: readonly Component[],
  cells: readonly CellResult[],
): Partial<Record<Component, number>> {
  const out: Partial<Record<Component, number>> = {};
  components.forEach((c, j) => {
    const on = cells.filter((x) => ((x.cell.mask ?? 0) & (1 << j)) !== 0).map((x) => x.meanPromptTokens);
    const off = cells.filter((x) => ((x.cell.mask ?? 0) & (1 << j)) === 0).map((x) => x.meanPromptTokens);
    out[c] = (mean(on) ?? 0) - (mean(off) ?? 0);
  });
  return out;
}

export function outputRows(experiment: Experiment, c: Collected): OutputRow[] {
  const primary = experiment.spec.metrics[0] as MetricSpec;
  const judges = experiment.spec.metrics.flatMap((m, mi) => (m.kind === 'judge' ? [{ m, mi }] : []));
  const roles = c.examples.facts.roles;
  const binary = METRIC_BINARY[primary.kind];
  return c.examples.examples.map((e, i) => {
    const outputs = c.outputs.map((cell, k) => {
      const o = cell[i] ?? null;
      const score =
        o === null
          ? null
          : scoreExample(primary, {
              output: o.text,
              reference: e.reference,
              outputTokens: o.generatedTokens,
              ...judgeAnswer(c, 0, k, i),
            }).score;
      const judged =
        o === null || judges.length === 0
          ? undefined
          : judges.map(({ m, mi }) => {
              const s = scoreExample(m, { output: o.text, reference: e.reference, ...judgeAnswer(c, mi, k, i) });
              return {
                metric: mi,
                label: metricLabel(m),
                answer: c.judged?.[mi]?.answers[k]?.[i] ?? null,
                score: s.score,
                reason: s.detail?.errors?.[0] ?? null,
              };
            });
      return {
        ...(judged === undefined ? {} : { judged }),
        text: o?.text ?? null,
        score,
        finishReason: o?.finishReason ?? null,
        promptTokens: o?.promptTokens ?? null,
        generatedTokens: o?.generatedTokens ?? null,
        timeToFirstTokenMs: o?.timeToFirstTokenMs ?? null,
        totalMs: o?.totalMs ?? null,
      };
    });
    const texts = new Set(outputs.flatMap((o) => (o.text === null ? [] : [o.text.trim().replace(/\s+/g, ' ')])));
    const failed = outputs.some(
      (o) => o.score !== null && (binary ? o.score < 1 : primary.threshold !== undefined && !meets(primary, o.score)),
    );
    const input = Object.fromEntries(roles.input.map((f) => [f, e.data[f]]));
    return { exampleIdx: i, key: e.key, input, reference: e.reference, outputs, disagree: texts.size > 1, failed };
  });
}

function meets(m: MetricSpec, value: number): boolean {
  return (
    m.threshold === undefined || (METRIC_DIRECTION[m.kind] === 'higher' ? value >= m.threshold : value <= m.threshold)
  );
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}
