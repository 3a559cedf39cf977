// What the verdict says in plain words beyond the ablation's sentences (pure): the direct "vs base" line on the main
// metric, and, when every cell scores 0% on it, why that may be and which other metrics did improve significantly.
import type { ExperimentResults, VersusBase } from '../../../../shared/contract';
import { METRIC_BINARY, type MetricSpec } from '../../../../shared/metrics';
import { formatEffectWithCI, formatP, formatValue, metricUnit } from './format';

type Row = VersusBase['rows'][number];

const better = (r: Row): boolean => (r.direction === 'higher' ? r.estimate > 0 : r.estimate < 0);

/**
 * "Support triage LoRA+soft 1 vs the base model on Category accuracy: 44.0% against 0.0%, +44.0 (34.0-54.0) pts, ..."
 */
export function versusBaseLine(r: Row, base: string, metric: MetricSpec): string {
  const unit = METRIC_BINARY[metric.kind] ? ' pts' : '';
  const value = (v: number) => `${formatValue(v, metric.kind)}${metricUnit(metric.kind) === '%' ? '%' : ''}`;
  const verdict = r.significant
    ? better(r)
      ? 'a significant gain'
      : 'significantly worse'
    : 'no clear difference (the 95% CI includes 0)';
  return `${r.cell} vs ${base}: ${value(r.value)} against ${value(r.baseValue)}, ${formatEffectWithCI(r.estimate, r.ci, metric.kind)}${unit}, p (Holm) ${formatP(r.pHolm)}: ${verdict}.`;
}

/** The vs-base rows of the main metric. */
export function mainVersusBase(results: ExperimentResults): Row[] {
  return (results.versusBase?.rows ?? []).filter((r) => r.metric === 0);
}

export interface ZeroExplanation {
  /** Why every cell may score 0% on the main metric, most likely first. */
  reasons: string[];
  /** Secondary metrics that improved significantly against the base, as sentences. */
  gains: string[];
}

/** Null unless every cell with outputs scored exactly 0 on the main (first) metric. */
export function zeroExplanation(results: ExperimentResults, metrics: readonly MetricSpec[]): ZeroExplanation | null {
  const main = metrics[0];
  const scored = results.cells.filter((c) => c.n > 0);
  if (!main || scored.length === 0 || !scored.every((c) => c.metrics[0]?.value === 0)) return null;
  const reasons: string[] = [];
  const jsonIndex = metrics.findIndex((m) => m.kind === 'json_valid');
  const bestJson = jsonIndex < 0 ? null : Math.max(...scored.map((c) => c.metrics[jsonIndex]?.value ?? 0));
  if (main.kind === 'classification' && main.field) {
    reasons.push(
      `It reads the "${main.field}" field of an answer written as JSON: an answer that is not JSON, or has no "${main.field}", counts as wrong however close it is.`,
    );
  } else if (main.kind === 'json_fields' || main.kind === 'json_schema') {
    reasons.push('It reads the answer as JSON: an answer that is not valid JSON scores 0.');
  } else if (main.kind === 'exact_match') {
    reasons.push(
      'It counts only answers identical to the expected one (after trimming and case): a near miss scores 0.',
    );
  }
  if (bestJson !== null)
    reasons.push(`The best cell wrote valid JSON in ${formatValue(bestJson, 'json_valid')}% of its answers.`);
  reasons.push(
    'The model has not learned the answer format yet. A base model without an adapter usually scores 0 here; an ' +
      'adapter trained too briefly or with too low a learning rate (a LoRA alone at 2e-4 for one epoch) may too. ' +
      'Train with the recommended Balanced preset (LoRA + soft prompt, learning rate 2e-3, batch 8).',
  );
  reasons.push('Open "Side by side" to see what the answers look like.');
  const gains = (results.versusBase?.rows ?? [])
    .filter((r) => r.metric !== 0 && r.significant && better(r))
    .map(
      (r) => `${r.label}: ${versusBaseLine(r, results.versusBase?.base ?? 'base', metrics[r.metric] as MetricSpec)}`,
    );
  return { reasons, gains };
}
