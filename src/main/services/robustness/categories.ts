// An output's failure categories from three sources: the metrics' own findings (invalid JSON, a schema violation, a
// wrong field, a wrong label by class, a failed match), reviewers' tags, and the workspace's rules (a regex on RE2,
// longer or shorter than N characters); plus 'hit the token limit' from how generation stopped. Pure.
import type { CategorySource, FailureRule } from '../../../shared/contract/robustness';
import { METRIC_BINARY, metricLabel, type MetricSpec } from '../../../shared/metrics';
import { scoreExample } from '../../eval';
import { linearRegex } from '../../eval/metrics/linear-regex';

export interface CategorizedOutput {
  text: string;
  reference: string | null;
  generatedTokens: number;
  finishReason: string;
}

export interface Category {
  name: string;
  source: CategorySource;
}

/** The categories of one output; `tags` are reviewers' tags on it. */
export function categorize(
  output: CategorizedOutput,
  metrics: readonly MetricSpec[],
  rules: readonly FailureRule[],
  tags: readonly string[] = [],
): Category[] {
  const out = new Map<string, Category>();
  const add = (name: string, source: CategorySource) => {
    if (!out.has(name)) out.set(name, { name, source });
  };
  for (const m of metrics) {
    const s = scoreExample(m, {
      output: output.text,
      reference: output.reference,
      outputTokens: output.generatedTokens,
    });
    if (s.score === null) continue;
    switch (m.kind) {
      case 'json_valid':
        if (s.score < 1) add('invalid JSON', 'metric');
        break;
      case 'json_schema':
        if (s.score < 1)
          add(/parse|JSON/i.test(s.detail?.errors?.[0] ?? '') ? 'invalid JSON' : 'schema violation', 'metric');
        break;
      case 'json_fields':
        for (const [field, right] of Object.entries(s.detail?.fields ?? {}))
          if (!right) add(`wrong ${field}`, 'metric');
        break;
      case 'classification':
        if (s.score < 1)
          add(s.detail?.predicted ? `wrong label (expected ${s.detail.expected ?? ''})` : 'no label', 'metric');
        break;
      default:
        if (METRIC_BINARY[m.kind] && s.score < 1) add(`${metricLabel(m)} failed`, 'metric');
    }
  }
  for (const tag of tags) add(`review: ${tag}`, 'review');
  for (const rule of rules) if (ruleHolds(rule, output.text)) add(rule.name, 'rule');
  if (output.finishReason === 'length') add('hit the token limit', 'output');
  return [...out.values()];
}

export function ruleHolds(rule: FailureRule, text: string): boolean {
  switch (rule.kind) {
    case 'regex': {
      const matcher = linearRegex(rule.pattern, rule.flags);
      return typeof matcher !== 'string' && matcher.test(text);
    }
    case 'longer_than':
      return Array.from(text).length > rule.chars;
    case 'shorter_than':
      return Array.from(text).length < rule.chars;
  }
}
