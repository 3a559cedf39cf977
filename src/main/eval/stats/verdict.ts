// The plain-language verdict of a factorial ablation: one sentence per finding, each with its estimate, CI and p.
// Significance = Holm-adjusted p < 0.05 and a CI excluding 0; a gain whose CI spans 0 is never claimed.
import type { MetricDirection } from '../../../shared/metrics';
import type { FactorialAnalysis, FactorialEffect, SimpleEffect } from './factorial';
import type { SimpleComparison } from './simple-comparisons';

export interface VerdictOptions {
  /** How each component reads in a sentence ("the adapter"); defaults to its name. */
  labels: Readonly<Record<string, string>>;
  /** Prompt tokens each component adds per call (template text, soft-prompt length). */
  contextTokens?: Readonly<Record<string, number>>;
  /** 'pts': scores are proportions, shown as percentages and differences in percentage points. */
  unit: 'pts' | '';
  /** Which way is better (default 'higher'; 'lower' for length). */
  direction?: MetricDirection;
}

export const SIGNIFICANCE = 0.05;

/** Holm-adjusted p below 0.05 and a CI that excludes 0. */
export function isSignificant(result: { pHolm: number; ci: [number, number] }): boolean {
  return result.pHolm < SIGNIFICANCE && (result.ci[0] > 0 || result.ci[1] < 0);
}

export function ablationVerdict(analysis: FactorialAnalysis, options: VerdictOptions): string[] {
  const f = new Format(analysis, options);
  const k = analysis.components.length;
  const sentences = [overview(analysis, f)];

  const mains = analysis.effects
    .filter((e) => e.terms.length === 1)
    .sort((a, b) => f.better(b.estimate) - f.better(a.estimate));
  let carrierNamed = false;
  for (const effect of mains) {
    const component = effect.terms[0] as string;
    const label = f.label(component);
    if (isSignificant(effect) && f.better(effect.estimate) > 0) {
      const verb = carrierNamed ? 'also helps' : `carries the ${f.direction === 'higher' ? 'gain' : 'improvement'}`;
      sentences.push(`${cap(label)} ${verb} (${f.full(effect)}).`);
      carrierNamed = true;
    } else if (isSignificant(effect)) {
      sentences.push(`${cap(label)} hurts (${f.full(effect)}).`);
    } else if (k === 1) {
      sentences.push(`${cap(label)} makes no significant difference (${f.brief(effect)}).`);
    } else {
      sentences.push(notSignificant(label, effect, dropComparison(analysis, component), f));
    }
  }

  const interactions = analysis.effects.filter((e) => e.terms.length > 1);
  const significant = interactions.filter(isSignificant).sort((a, b) => Math.abs(b.estimate) - Math.abs(a.estimate));
  for (const effect of significant) sentences.push(interactionSentence(effect, analysis, f));
  if (interactions.length > 0 && significant.length === 0) {
    sentences.push(
      'No interaction between the components is significant: the data are consistent with their effects adding up.',
    );
  }

  for (const component of analysis.components) {
    const tokens = options.contextTokens?.[component];
    if (tokens === undefined || tokens <= 0) continue;
    const main = mains.find((e) => e.terms[0] === component) as FactorialEffect;
    const count = `${Math.round(tokens)} context token${Math.round(tokens) === 1 ? '' : 's'} per call`;
    sentences.push(
      isSignificant(main) && f.better(main.estimate) > 0
        ? `${cap(f.label(component))} costs ${count}.`
        : `Dropping ${f.label(component)} saves ${count}.`,
    );
  }

  sentences.push(
    k === 1
      ? `Rule: an effect counts as significant when p < ${SIGNIFICANCE} (${testName(analysis.effects[0]?.test)}) with the ${f.level} excluding 0.`
      : `Rule: an effect counts as significant when its Holm-adjusted p is < ${SIGNIFICANCE} over the ${analysis.effects.length} effects, with the ${f.level} excluding 0.`,
  );
  return sentences;
}

function overview(analysis: FactorialAnalysis, f: Format): string {
  const full = analysis.cells[analysis.cells.length - 1]?.mean ?? NaN;
  const base = analysis.cells[0]?.mean ?? NaN;
  const n = `On ${analysis.n} test example${analysis.n === 1 ? '' : 's'}`;
  if (analysis.components.length === 1) {
    return `${n}, the score is ${f.value(full)} with ${f.label(analysis.components[0] as string)} and ${f.value(base)} without it.`;
  }
  return `${n}, the score is ${f.value(full)} with ${list(analysis.components.map((c) => f.label(c)))} together, and ${f.value(base)} with none of them.`;
}

function notSignificant(label: string, effect: FactorialEffect, drop: SimpleComparison | undefined, f: Format): string {
  if (drop === undefined || !isSignificant(drop))
    return `${cap(label)} adds nothing significant on top (${f.brief(drop ?? effect)}).`;
  return `${cap(label)} makes no significant difference on average (${f.brief(effect)}), but in the full setup it is worth ${f.full(drop)}.`;
}

function interactionSentence(effect: FactorialEffect, analysis: FactorialAnalysis, f: Format): string {
  const stats = `interaction ${f.full(effect)}`;
  if (effect.terms.length > 2) {
    const order = effect.terms.length === 3 ? 'three' : 'four';
    return `The ${order}-way interaction of ${list(effect.terms.map((t) => f.label(t)))} is significant (${stats}): read the cell means, since the main effects alone do not describe the results.`;
  }
  // Phrase it as the weaker part's effect depending on the stronger ("the soft prompt helps only with the adapter").
  const main = (c: string) => analysis.effects.find((e) => e.terms.length === 1 && e.terms[0] === c)?.estimate ?? 0;
  const [x, y] = effect.terms as [string, string];
  const [helper, carrier] = f.better(main(x)) <= f.better(main(y)) ? [x, y] : [y, x];
  const find = (on: boolean) =>
    effect.simpleEffects?.find(
      (s) => s.component === helper && s.given === carrier && s.givenOn === on,
    ) as SimpleEffect;
  const [withIt, without] = [find(true), find(false)];
  const helps = (s: SimpleEffect) => (f.direction === 'higher' ? s.ci[0] > 0 : s.ci[1] < 0);
  const detail = `${stats}; ${f.diff(withIt.estimate)} with it, ${f.diff(without.estimate)} without`;
  const h = cap(f.label(helper));
  const c = f.label(carrier);
  if (helps(withIt) && !helps(without)) return `${h} helps only with ${c} (${detail}).`;
  if (helps(without) && !helps(withIt)) return `${h} helps only without ${c} (${detail}).`;
  return `${cap(possessive(f.label(helper)))} effect depends on ${c} (${detail}).`;
}

function dropComparison(analysis: FactorialAnalysis, component: string): SimpleComparison | undefined {
  return analysis.comparisons.find((c) => c.component === component && c.kind === 'drop');
}

function testName(test: string | undefined): string {
  return test === 'mcnemar'
    ? "McNemar's test"
    : test === 'sign-flip'
      ? 'exact sign-flip test'
      : 'sign-flip permutation test';
}

/** Number formatting in the analysis's unit and direction. */
class Format {
  readonly direction: MetricDirection;
  readonly level: string;
  constructor(
    analysis: FactorialAnalysis,
    private readonly options: VerdictOptions,
  ) {
    this.direction = options.direction ?? 'higher';
    this.level = `${Math.round(analysis.level * 100)}% CI`;
  }

  label(component: string): string {
    return this.options.labels[component] ?? component;
  }

  /** Positive when the change is an improvement. */
  better(x: number): number {
    return this.direction === 'higher' ? x : -x;
  }

  value(x: number): string {
    return this.options.unit === 'pts' ? `${Math.round(x * 100)}%` : number(x);
  }

  diff(x: number): string {
    if (this.options.unit === 'pts') {
      const points = Math.round(x * 100) || 0; // no "-0"
      return `${points > 0 ? '+' : ''}${points} ${Math.abs(points) === 1 ? 'pt' : 'pts'}`;
    }
    const text = number(x);
    return x > 0 && Number(text) !== 0 ? `+${text}` : text;
  }

  ci([lo, hi]: [number, number]): string {
    const end = (x: number) => (this.options.unit === 'pts' ? `${Math.round(x * 100) || 0}` : number(x));
    return `${this.level} ${end(lo)} to ${end(hi)}`;
  }

  /** "+31 pts, 95% CI 27 to 35, p < 0.001" (Holm-adjusted p). */
  full(r: { estimate: number; ci: [number, number]; pHolm: number }): string {
    return `${this.diff(r.estimate)}, ${this.ci(r.ci)}, ${pText(r.pHolm)}`;
  }

  /** "+1 pt, 95% CI -2 to 4" for results that are not significant. */
  brief(r: { estimate: number; ci: [number, number] }): string {
    return `${this.diff(r.estimate)}, ${this.ci(r.ci)}`;
  }
}

function number(x: number): string {
  const a = Math.abs(x);
  const text = x.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
  return Number(text) === 0 ? text.replace('-', '') : text;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function possessive(text: string): string {
  return text.endsWith('s') ? `${text}'` : `${text}'s`;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
