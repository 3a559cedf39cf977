// scoreExample: one metric on one output. Pure: no I/O; json_schema compiles its validator once per schema object.
import { assert } from '../../../shared/errors';
import { METRIC_NEEDS_REFERENCE } from '../../../shared/metrics';
import type { MetricSpec } from '../../../shared/metrics';
import { chrf } from './chrf';
import { readLabel } from './classification';
import { scoreJsonFields, scoreJsonSchema, scoreJsonValid } from './json';
import { scoreJudgeAnswer } from './judge';
import { linearRegex } from './linear-regex';
import { normalizeText } from './normalize';
import { rougeL } from './rouge-l';
import type { ExampleInput, ExampleScore } from './types';

/** Scores one example; `spec` is a parsed MetricSpec (defaults filled). */
export function scoreExample(spec: MetricSpec, example: ExampleInput): ExampleScore {
  const { output, reference } = example;
  if (METRIC_NEEDS_REFERENCE[spec.kind] && reference === null)
    return { score: null, detail: { errors: ['no reference'] } };
  const ref = reference ?? '';
  switch (spec.kind) {
    case 'exact_match':
      return binary(spec.normalize ? normalizeText(output) === normalizeText(ref) : output === ref);
    case 'contains':
      return binary(spec.normalize ? normalizeText(output).includes(normalizeText(ref)) : output.includes(ref));
    case 'regex': {
      const matcher = linearRegex(spec.pattern, spec.flags);
      return typeof matcher === 'string'
        ? { score: null, detail: { errors: [matcher] } }
        : binary(matcher.test(output));
    }
    case 'json_valid':
      return scoreJsonValid(output);
    case 'json_schema':
      return scoreJsonSchema(spec.schema, output);
    case 'json_fields':
      return scoreJsonFields(spec.fields, output, ref);
    case 'classification': {
      const expected = readLabel(ref, spec.field);
      if (expected === undefined)
        return { score: null, detail: { errors: [`reference has no field '${spec.field}'`] } };
      const predicted = readLabel(output, spec.field) ?? '';
      return { score: predicted === expected ? 1 : 0, detail: { expected, predicted } };
    }
    case 'chrf': {
      const { score, precision, recall } = chrf(output, ref);
      return { score, detail: { precision, recall } };
    }
    case 'rouge_l': {
      const { score, precision, recall } = rougeL(output, ref);
      return { score, detail: { precision, recall } };
    }
    case 'length':
      if (spec.unit === 'chars') return { score: Array.from(output).length };
      assert(example.outputTokens !== undefined, 'length in tokens needs outputTokens from the caller');
      return { score: example.outputTokens };
    case 'judge':
      return scoreJudgeAnswer(spec.answer, example.judgeAnswer);
  }
}

function binary(pass: boolean): ExampleScore {
  return { score: pass ? 1 : 0 };
}
