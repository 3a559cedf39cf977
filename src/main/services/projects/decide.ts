// The decision rule (pure): prompt only, adapter only or both, from per-example scores of the four cells of the two
// sides (base, prompt, adapter, both) and each option's measured costs. Quality comes from the 2x2 factorial analysis
// of the eval library (cell CIs, the prompt x adapter interaction, paired both-vs-one comparisons); the criteria are
// editable, and the recommendation names the one that decided it.
import type {
  DecisionCriteria,
  DecisionCriterion,
  DecisionOption,
  OptionCosts,
  OptionEvidence,
  ProjectBudgets,
  Recommendation,
} from '../../../shared/contract/projects';
import { OPTION_LABELS } from '../../../shared/contract/projects';
import { factorialAnalysis } from '../../eval/stats/factorial';
import { isSignificant } from '../../eval/stats/verdict';

export const OPTIONS: readonly DecisionOption[] = ['prompt', 'adapter', 'both'];

export interface DecideInput {
  /** Per-example primary scores, aligned by example: all four cells of the two sides. */
  scores: { base: readonly number[]; prompt: readonly number[]; adapter: readonly number[]; both: readonly number[] };
  binary: boolean;
  direction: 'higher' | 'lower';
  metric: string;
  threshold: number;
  seed: number;
  /** The ablation cell (label and specialization) of each option. */
  cells: Record<DecisionOption, { label: string; specializationId: string }>;
  costs: Record<DecisionOption, OptionCosts>;
  criteria: DecisionCriteria;
  budgets: ProjectBudgets;
  experimentId: string;
  resamples?: number;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const pts = (v: number): string => `${(v * 100).toFixed(1)} points`;
const range = (ci: readonly [number, number]): string => `${pct(ci[0])} to ${pct(ci[1])}`;

/** The budgets an option breaks, in plain words (a cost not measured breaks none). */
export function overBudget(costs: OptionCosts, budgets: ProjectBudgets): string[] {
  const out: string[] = [];
  const check = (value: number | null, limit: number | null, what: string, unit: (v: number) => string): void => {
    if (value !== null && limit !== null && value > limit)
      out.push(`${what} ${unit(value)} over the budget of ${unit(limit)}`);
  };
  check(costs.contextTokens, budgets.contextTokens, 'context', (v) => `${Math.round(v)} tokens`);
  check(costs.latencyMs, budgets.latencyMs, 'latency', (v) => `${Math.round(v)} ms`);
  check(costs.memoryBytes, budgets.memoryBytes, 'memory', (v) => `${(v / 2 ** 20).toFixed(0)} MiB`);
  check(costs.trainingSeconds, budgets.trainingSeconds, 'training time', (v) => `${v.toFixed(0)} s`);
  return out;
}

export function recommend(input: DecideInput): Recommendation {
  const { criteria, budgets } = input;
  const analysis = factorialAnalysis({
    components: ['prompt', 'adapter'],
    cells: { 0: input.scores.base, 1: input.scores.prompt, 2: input.scores.adapter, 3: input.scores.both },
    binary: input.binary,
    seed: input.seed,
    ...(input.resamples ? { resamples: input.resamples } : {}),
  });
  const cellOf = (mask: number) => analysis.cells.find((c) => c.mask === mask) as (typeof analysis.cells)[number];
  const mask: Record<DecisionOption, number> = { prompt: 1, adapter: 2, both: 3 };
  const options: OptionEvidence[] = OPTIONS.map((option) => ({
    option,
    cell: input.cells[option].label,
    specializationId: input.cells[option].specializationId,
    mean: cellOf(mask[option]).mean,
    ci: cellOf(mask[option]).ci,
    costs: input.costs[option],
    overBudget: overBudget(input.costs[option], budgets),
  }));
  const evidence = (o: DecisionOption) => options.find((e) => e.option === o) as OptionEvidence;
  const interactionEffect = analysis.effects.find((e) => e.terms.length === 2);
  const drop = (component: string) => analysis.comparisons.find((c) => c.kind === 'drop' && c.component === component);
  const paired = (e: { estimate: number; ci: [number, number]; pHolm: number } | undefined) => ({
    estimate: e?.estimate ?? 0,
    ci: e?.ci ?? ([0, 0] as [number, number]),
    p: e?.pHolm ?? 1,
  });
  const interaction = paired(interactionEffect);
  const bothVsAdapter = paired(drop('prompt'));
  const bothVsPrompt = paired(drop('adapter'));

  const s = input.direction === 'higher' ? 1 : -1;
  const explanation: string[] = [];
  const allowed = (o: DecisionOption): boolean => !criteria.enforceBudgets || evidence(o).overBudget.length === 0;
  const done = (option: DecisionOption, decidedBy: DecisionCriterion): Recommendation => ({
    option,
    decidedBy,
    explanation: [...explanation, ...shortOfThreshold(option)],
    metric: input.metric,
    threshold: input.threshold,
    n: analysis.n,
    options,
    interaction,
    bothVsAdapter,
    bothVsPrompt,
    criteria,
    budgets,
    experimentId: input.experimentId,
  });

  // Not a criterion: a plain warning when even the recommended option surely misses the threshold.
  const shortOfThreshold = (option: DecisionOption): string[] => {
    const e = evidence(option);
    const surelyShort = s > 0 ? e.ci[1] < input.threshold : e.ci[0] > input.threshold;
    return surelyShort
      ? [
          `Even ${OPTION_LABELS[option]} misses the threshold (95% CI ${range(e.ci)}): improve it (more training steps, a larger adapter, a better prompt) before shipping.`,
        ]
      : [];
  };

  // 1. Budgets rule out options first (when enforced): a cheaper option that breaks one cannot be chosen.
  for (const o of options)
    if (o.overBudget.length > 0)
      explanation.push(
        `${OPTION_LABELS[o.option]} breaks the budget: ${o.overBudget.join('; ')}${criteria.enforceBudgets ? '' : ' (budgets are shown only)'}.`,
      );

  // 2. The escalation rule: keep the prompt unless it misses the threshold by more than the margin with 95% confidence.
  const prompt = evidence('prompt');
  const promptBound = s > 0 ? prompt.ci[1] : prompt.ci[0];
  const shortfall = s * (input.threshold - promptBound);
  const misses = shortfall > criteria.escalationMargin;
  const promptSentence = `The best prompt scores ${pct(prompt.mean)} on ${input.metric} (95% CI ${range(prompt.ci)}) against the threshold ${pct(input.threshold)}`;
  if (!misses) {
    explanation.push(
      `${promptSentence}: it does not miss the threshold by more than ${pts(criteria.escalationMargin)} with 95% confidence, so an adapter is not needed.`,
    );
    if (allowed('prompt')) return done('prompt', 'escalation');
  } else {
    explanation.push(
      `${promptSentence}: even the top of its interval misses by ${pts(shortfall)}, more than the margin of ${pts(criteria.escalationMargin)}, so escalate to an adapter.`,
    );
  }

  // 3. Between the adapter alone and both: both only when it gains enough, surely; else the cheaper adapter alone.
  const gainLow = s > 0 ? bothVsAdapter.ci[0] : -bothVsAdapter.ci[1];
  const interactionWords = isSignificant({ pHolm: interaction.p, ci: interaction.ci })
    ? `The prompt and the adapter interact (interaction ${pts(interaction.estimate)}, 95% CI ${range(interaction.ci)}).`
    : `No clear interaction between prompt and adapter (${pts(interaction.estimate)}, 95% CI ${range(interaction.ci)}).`;
  explanation.push(interactionWords);
  const candidates = (['adapter', 'both'] as const).filter(allowed);
  if (candidates.length === 0) {
    const fewest = [...options].sort((a, b) => a.overBudget.length - b.overBudget.length)[0] as OptionEvidence;
    explanation.push(`No option fits every budget; ${OPTION_LABELS[fewest.option]} breaks the fewest.`);
    return done(fewest.option, 'budget');
  }
  if (candidates.length === 1) {
    const only = candidates[0] as 'adapter' | 'both';
    explanation.push(`${OPTION_LABELS[only]} is the only escalation within the budgets.`);
    return done(only, 'budget');
  }
  const extraTokens = evidence('both').costs.contextTokens - evidence('adapter').costs.contextTokens;
  const gainSentence = `Prompt + adapter against the adapter alone: ${pts(bothVsAdapter.estimate)} (95% CI ${range(bothVsAdapter.ci)})`;
  if (gainLow >= criteria.minCombinationGain) {
    explanation.push(
      `${gainSentence}: at least ${pts(criteria.minCombinationGain)} with 95% confidence, worth ${Math.round(extraTokens)} more context tokens per call.`,
    );
    return done('both', 'combination');
  }
  explanation.push(
    `${gainSentence}: not surely ${pts(criteria.minCombinationGain)} or more, so the cheaper adapter alone is kept (${Math.round(extraTokens)} fewer context tokens per call).`,
  );
  return done('adapter', 'cost');
}
