// aggregate: a metric's value over a run from its per-example scores (the mean of the scored examples), plus the
// per-field accuracies of json_fields and the confusion matrix and macro-F1 of classification.
import { passesThreshold } from '../../../shared/metrics';
import type { MetricSpec } from '../../../shared/metrics';
import { confusionMatrix, macroF1 } from './classification';
import type { Aggregate, ExampleScore, FieldAccuracy } from './types';

export function aggregate(spec: MetricSpec, examples: readonly ExampleScore[]): Aggregate {
  const scores = examples.map((e) => e.score).filter((s): s is number => s !== null);
  const value = scores.length === 0 ? null : scores.reduce((s, v) => s + v, 0) / scores.length;
  const result: Aggregate = { value, n: scores.length, missing: examples.length - scores.length };
  const passed = value === null ? undefined : passesThreshold(spec, value);
  if (passed !== undefined) result.passed = passed;
  if (spec.kind === 'json_fields') result.perField = fieldAccuracies(spec.fields, examples);
  if (spec.kind === 'classification') {
    const pairs = examples.flatMap((e) =>
      e.score !== null && e.detail?.expected !== undefined
        ? [{ expected: e.detail.expected, predicted: e.detail.predicted ?? '' }]
        : [],
    );
    const confusion = confusionMatrix(pairs, spec.labels);
    result.confusion = confusion;
    result.macroF1 = macroF1(confusion);
  }
  return result;
}

function fieldAccuracies(fields: readonly string[], examples: readonly ExampleScore[]): Record<string, FieldAccuracy> {
  const perField: Record<string, FieldAccuracy> = {};
  for (const field of fields) {
    const outcomes = examples.flatMap((e) => (e.detail?.fields?.[field] === undefined ? [] : [e.detail.fields[field]]));
    const correct = outcomes.filter(Boolean).length;
    perField[field] = {
      correct,
      n: outcomes.length,
      accuracy: outcomes.length === 0 ? null : correct / outcomes.length,
    };
  }
  return perField;
}
