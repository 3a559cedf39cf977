// The failure-mode view of an experiment: every output's categories, each category's rate per cell with a Wilson
// 95% CI and the examples behind it, its change from the first cell on the same examples (McNemar), and the primary
// metric's pass rate per built-in slice. Pure over the stored outputs, so it runs wherever the outputs were read.
import type { Experiment } from '../../../shared/contract/experiments';
import type { CategoryRate, FailureModes, FailureRule, SliceRate } from '../../../shared/contract/robustness';
import { METRIC_BINARY, METRIC_DIRECTION, type MetricSpec } from '../../../shared/metrics';
import { mcnemarTest, scoreExample, wilsonInterval } from '../../eval';
import type { Collected } from '../experiments/results';
import { categorize, type Category } from './categories';
import { inputText, SLICES, sliceBins, type Bin } from './slices';

const EXAMPLES_PER_CATEGORY = 5;

/** Reviewers' tags on the outputs of an experiment: [cell][example] -> tags. */
export type TagsOf = (cell: number, example: number) => readonly string[];

export function failureModes(
  experiment: Experiment,
  collected: Collected,
  rules: readonly FailureRule[],
  tags: TagsOf = () => [],
): FailureModes {
  const { metrics } = experiment.spec;
  const { examples, facts } = collected.examples;
  const cats = categoriesOf(experiment, collected, rules, tags);
  const bins = sliceBins(examples.map((e) => inputText(e.data, facts.roles.input)));
  const primary = metrics[0] as MetricSpec;
  const cells = experiment.cells.map((cell, c) => {
    const mine = cats[c] ?? [];
    const scored = mine.flatMap((x, i) => (x === null ? [] : [i]));
    const names = new Map<string, Category>();
    for (const x of cats.flat()) for (const cat of x ?? []) names.set(cat.name, cat);
    const categories: CategoryRate[] = [...names.values()]
      .map((cat) => rate(cat, c, scored, cats))
      .filter((r) => r.count > 0 || r.change !== null)
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
    const passes = (collected.outputs[c] ?? []).map((o, i) =>
      o === null ? null : passed(primary, o.text, examples[i]?.reference ?? null, o.generatedTokens),
    );
    const slices: SliceRate[] = SLICES.flatMap((slice) =>
      (['low', 'mid', 'high'] as Bin[]).map((bin) => {
        const inBin = passes.filter((p, i): p is boolean => p !== null && bins[slice][i] === bin);
        const k = inBin.filter(Boolean).length;
        return {
          slice,
          bin,
          passes: k,
          n: inBin.length,
          rate: inBin.length === 0 ? null : k / inBin.length,
          ci: inBin.length === 0 ? null : wilsonInterval(k, inBin.length),
        };
      }),
    );
    return { label: cell.label, specializationId: cell.specializationId, n: scored.length, categories, slices };
  });
  return {
    experimentId: experiment.id,
    cells,
    byExample: cats.map((cell) => cell.map((x) => (x ?? []).map((cat) => cat.name))),
  };
}

/** Each output's categories, [cell][example] (null: no output). */
export function categoriesOf(
  experiment: Experiment,
  collected: Collected,
  rules: readonly FailureRule[],
  tags: TagsOf = () => [],
): (Category[] | null)[][] {
  const { examples } = collected.examples;
  return collected.outputs.map((cell, c) =>
    cell.map((o, i) =>
      o === null
        ? null
        : categorize(
            {
              text: o.text,
              reference: examples[i]?.reference ?? null,
              generatedTokens: o.generatedTokens,
              finishReason: o.finishReason,
            },
            experiment.spec.metrics,
            rules,
            tags(c, i),
          ),
    ),
  );
}

function rate(cat: Category, c: number, scored: readonly number[], cats: (Category[] | null)[][]): CategoryRate {
  const has = (cell: number, i: number) => (cats[cell]?.[i] ?? []).some((x) => x.name === cat.name);
  const hits = scored.filter((i) => has(c, i));
  const n = scored.length;
  // The change from the first cell, on the examples both cells have outputs for.
  let change: CategoryRate['change'] = null;
  if (c > 0) {
    const paired = scored.filter((i) => cats[0]?.[i] !== null && cats[0]?.[i] !== undefined);
    if (paired.length > 0) {
      const now = paired.map((i) => has(c, i));
      const before = paired.map((i) => has(0, i));
      const delta = (now.filter(Boolean).length - before.filter(Boolean).length) / paired.length;
      change = { delta, p: mcnemarTest(now, before).p };
    }
  }
  return {
    category: cat.name,
    source: cat.source,
    count: hits.length,
    n,
    rate: n === 0 ? 0 : hits.length / n,
    ci: wilsonInterval(hits.length, n),
    examples: hits.slice(0, EXAMPLES_PER_CATEGORY),
    change,
  };
}

/** Whether an output passes the primary metric: a binary metric's 1, or the threshold met (null: no such notion). */
export function passed(m: MetricSpec, output: string, reference: string | null, tokens: number): boolean | null {
  const s = scoreExample(m, { output, reference, outputTokens: tokens }).score;
  if (s === null) return null;
  if (METRIC_BINARY[m.kind]) return s >= 1;
  if (m.threshold === undefined) return null;
  return METRIC_DIRECTION[m.kind] === 'higher' ? s >= m.threshold : s <= m.threshold;
}
