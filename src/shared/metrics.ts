// Metric specifications: what an experiment measures on each example, and the threshold a run must meet.
// Shared: the experiments contract validates specs with these schemas; scoring lives in src/main/eval (Node only,
// since json_schema needs ajv). Scores are fractions in [0, 1], except `length`, which is a raw count.
import { z } from 'zod';

/**
 * Which way is better for a metric's aggregate: a run passes when aggregate >= threshold ('higher') or <= ('lower').
 */
export type MetricDirection = 'higher' | 'lower';

const REGEX_FLAGS = /^[dgimsuvy]*$/;

const name = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty (leave it out for the default label)' })
  .max(80, { error: 'must be at most 80 characters' })
  .optional();

/** Thresholds of the fraction-valued metrics: a score in [0, 1] (0.8 means 80%). */
const fractionThreshold = z
  .number({ error: 'must be a number' })
  .min(0, { error: 'must be between 0 and 1 (a fraction: 0.8 means 80%)' })
  .max(1, { error: 'must be between 0 and 1 (a fraction: 0.8 means 80%)' })
  .optional();

const normalize = z.boolean({ error: 'must be true or false' }).default(true);

export const ExactMatchSpec = z.strictObject({
  kind: z.literal('exact_match'),
  name,
  threshold: fractionThreshold,
  /** Trim, collapse whitespace, case-fold, strip surrounding quotes and punctuation before comparing. */
  normalize,
});

export const ContainsSpec = z.strictObject({
  kind: z.literal('contains'),
  name,
  threshold: fractionThreshold,
  /** The (normalised) reference must occur in the (normalised) output. */
  normalize,
});

export const RegexSpec = z
  .strictObject({
    kind: z.literal('regex'),
    name,
    threshold: fractionThreshold,
    /**
     * JavaScript regular expression source; the output passes when it matches anywhere (anchor with ^ and $). Run by
     * a linear-time matcher (RE2), so lookaround and back-references are refused and no pattern can stall scoring.
     */
    pattern: z
      .string({ error: 'must be text' })
      .min(1, { error: 'must not be empty' })
      .max(2000, { error: 'must be at most 2000 characters' }),
    flags: z
      .string({ error: 'must be text' })
      .regex(REGEX_FLAGS, { error: 'may use only the flags d, g, i, m, s, u, v, y' })
      .default(''),
  })
  .superRefine((spec, ctx) => {
    const problem = regexProblem(spec.pattern, spec.flags);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

export const JsonValidSpec = z.strictObject({
  kind: z.literal('json_valid'),
  name,
  threshold: fractionThreshold,
});

export const JsonSchemaSpec = z.strictObject({
  kind: z.literal('json_schema'),
  name,
  threshold: fractionThreshold,
  /** A JSON Schema (draft-07 unless its $schema names 2019-09 or 2020-12); compiled with ajv when scoring. */
  schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON schema object' }),
});

const fieldName = z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' });

export const JsonFieldsSpec = z.strictObject({
  kind: z.literal('json_fields'),
  name,
  threshold: fractionThreshold,
  /** Keys compared between output and reference JSON objects; "a.b" reaches into nested objects. */
  fields: z
    .array(fieldName, { error: 'must be a list of field names' })
    .min(1, { error: 'must name at least one field' })
    .max(100, { error: 'at most 100 fields' })
    .refine((fields) => new Set(fields).size === fields.length, { error: 'must not repeat a field' }),
});

export const ClassificationSpec = z.strictObject({
  kind: z.literal('classification'),
  name,
  threshold: fractionThreshold,
  /** Read the label from this JSON field of output and reference; absent: the whole text is the label. */
  field: fieldName.optional(),
  /** The label set (confusion-matrix rows); predictions outside it count in the "(other)" column. */
  labels: z
    .array(z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }), {
      error: 'must be a list of labels',
    })
    .min(2, { error: 'must list at least two labels' })
    .max(200, { error: 'at most 200 labels' })
    .refine((labels) => new Set(labels).size === labels.length, { error: 'must not repeat a label' })
    .optional(),
});

export const ChrfSpec = z.strictObject({
  kind: z.literal('chrf'),
  name,
  threshold: fractionThreshold,
});

export const RougeLSpec = z.strictObject({
  kind: z.literal('rouge_l'),
  name,
  threshold: fractionThreshold,
});

export const LengthSpec = z.strictObject({
  kind: z.literal('length'),
  name,
  /** Maximum acceptable average length (lower is better). */
  threshold: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 or more' }).optional(),
  /** 'tokens' uses the tokenizer count the caller passes with each output. */
  unit: z.enum(['chars', 'tokens'], { error: "must be 'chars' or 'tokens'" }),
});

/** How a judge's answer is read: one of the labels (passing ones score 1, others 0), or a number in a range. */
export const JudgeAnswer = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('labels'),
      labels: z
        .array(z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(80), {
          error: 'must be a list of labels',
        })
        .min(2, { error: 'must list at least two labels' })
        .max(50, { error: 'at most 50 labels' }),
      /** The labels that count as a pass (score 1). */
      passing: z.array(z.string({ error: 'must be text' })).min(1, { error: 'must name at least one passing label' }),
    }),
    z.strictObject({
      kind: z.literal('score'),
      min: z.number({ error: 'must be a number' }),
      max: z.number({ error: 'must be a number' }),
    }),
  ],
  { error: "kind must be 'labels' or 'score'" },
);
export type JudgeAnswer = z.output<typeof JudgeAnswer>;

/**
 * A model-graded metric: a local judge specialization answers `prompt` (a template over `input`, `output`,
 * `reference`, the row as `item` and the output as `sample.output_text`) and its answer is parsed by `answer`. A
 * label metric's score is a fraction (passing labels over answers read); a score metric's is the mean score, in
 * the answer's range, and so is its threshold.
 */
export const JudgeSpec = z
  .strictObject({
    kind: z.literal('judge'),
    name,
    threshold: z.number({ error: 'must be a number' }).optional(),
    /** The judge specialization's id (its content hash is recorded with each result). */
    judge: z.string({ error: 'must be a specialization id' }).min(1, { error: 'must name a judge specialization' }),
    prompt: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(20_000, { error: 'must be at most 20,000 characters' }),
    answer: JudgeAnswer,
  })
  .superRefine((spec, ctx) => {
    const a = spec.answer;
    if (a.kind === 'labels') {
      const lower = a.labels.map((l) => l.toLowerCase());
      if (new Set(lower).size !== lower.length)
        ctx.addIssue({ code: 'custom', path: ['answer', 'labels'], message: 'must not repeat a label' });
      const missing = a.passing.find((p) => !lower.includes(p.trim().toLowerCase()));
      if (missing !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['answer', 'passing'],
          message: `names "${missing}", which is not one of the labels`,
        });
      if (spec.threshold !== undefined && (spec.threshold < 0 || spec.threshold > 1))
        ctx.addIssue({
          code: 'custom',
          path: ['threshold'],
          message: 'must be between 0 and 1 (the share of passing labels)',
        });
    } else {
      if (!(a.min < a.max))
        ctx.addIssue({ code: 'custom', path: ['answer', 'max'], message: 'must be greater than min' });
      if (spec.threshold !== undefined && (spec.threshold < a.min || spec.threshold > a.max))
        ctx.addIssue({
          code: 'custom',
          path: ['threshold'],
          message: `must be within the score range ${a.min} to ${a.max}`,
        });
    }
  });

export const MetricSpec = z.discriminatedUnion(
  'kind',
  [
    ExactMatchSpec,
    ContainsSpec,
    RegexSpec,
    JsonValidSpec,
    JsonSchemaSpec,
    JsonFieldsSpec,
    ClassificationSpec,
    ChrfSpec,
    RougeLSpec,
    LengthSpec,
    JudgeSpec,
  ],
  {
    error:
      'kind must be one of exact_match, contains, regex, json_valid, json_schema, json_fields, classification, ' +
      'chrf, rouge_l, length, judge',
  },
);
/** A spec with defaults filled in (what scoring uses). */
export type MetricSpec = z.output<typeof MetricSpec>;
/** A spec as a user or stored record gives it. */
export type MetricSpecInput = z.input<typeof MetricSpec>;
export type MetricKind = MetricSpec['kind'];

export const METRIC_DIRECTION: Readonly<Record<MetricKind, MetricDirection>> = {
  exact_match: 'higher',
  contains: 'higher',
  regex: 'higher',
  json_valid: 'higher',
  json_schema: 'higher',
  json_fields: 'higher',
  classification: 'higher',
  chrf: 'higher',
  rouge_l: 'higher',
  length: 'lower',
  judge: 'higher',
};

/** Whether a metric compares against the example's reference (examples without one are not scored). */
export const METRIC_NEEDS_REFERENCE: Readonly<Record<MetricKind, boolean>> = {
  exact_match: true,
  contains: true,
  regex: false,
  json_valid: false,
  json_schema: false,
  json_fields: true,
  classification: true,
  chrf: true,
  rouge_l: true,
  length: false,
  judge: false,
};

/** Whether per-example scores are 0/1 (aggregate = a proportion; McNemar and Wilson apply). */
export const METRIC_BINARY: Readonly<Record<MetricKind, boolean>> = {
  exact_match: true,
  contains: true,
  regex: true,
  json_valid: true,
  json_schema: true,
  json_fields: false,
  classification: true,
  chrf: false,
  rouge_l: false,
  length: false,
  // A label judge's scores are 0/1, a score judge's are not: both are read as means (bootstrap and permutation).
  judge: false,
};

/** A metric's kind on its own (results that carry how their numbers read). */
export const MetricKindName = z.enum(Object.keys(METRIC_BINARY) as [MetricKind, ...MetricKind[]]);

/** The label shown in tables and charts: the spec's name, else a description of the kind. */
export function metricLabel(spec: MetricSpecInput): string {
  if (spec.name !== undefined && spec.name.trim() !== '') return spec.name.trim();
  switch (spec.kind) {
    case 'exact_match':
      return spec.normalize === false ? 'Exact match (verbatim)' : 'Exact match';
    case 'contains':
      return 'Contains reference';
    case 'regex':
      return `Matches /${spec.pattern}/${spec.flags ?? ''}`;
    case 'json_valid':
      return 'Valid JSON';
    case 'json_schema':
      return typeof spec.schema.title === 'string' ? `JSON schema: ${spec.schema.title}` : 'Matches JSON schema';
    case 'json_fields':
      return `JSON fields (${spec.fields.join(', ')})`;
    case 'classification':
      return spec.field === undefined ? 'Classification accuracy' : `Classification accuracy (${spec.field})`;
    case 'chrf':
      return 'chrF';
    case 'rouge_l':
      return 'ROUGE-L';
    case 'length':
      return spec.unit === 'tokens' ? 'Length (tokens)' : 'Length (characters)';
    case 'judge':
      return spec.answer.kind === 'labels'
        ? `Judge: ${spec.answer.passing.join(' / ')} of ${spec.answer.labels.join(', ')}`
        : `Judge score (${spec.answer.min} to ${spec.answer.max})`;
  }
}

/** Whether an aggregate meets the spec's threshold in the kind's direction; undefined when there is no threshold. */
export function passesThreshold(spec: MetricSpecInput, aggregate: number): boolean | undefined {
  if (spec.threshold === undefined) return undefined;
  return METRIC_DIRECTION[spec.kind] === 'higher' ? aggregate >= spec.threshold : aggregate <= spec.threshold;
}

/** What RE2 cannot run (it guarantees time linear in the output's length by leaving out what needs backtracking). */
const LINEAR_TIME_UNSUPPORTED: readonly (readonly [RegExp, string])[] = [
  [/\(\?<?[=!]/, 'lookahead or lookbehind'],
  [/(^|[^\\])(\\\\)*\\([1-9]|k<)/, 'a back-reference'],
];

/** Why a pattern/flags pair does not compile, in words a user can act on; undefined when it compiles. */
export function regexProblem(pattern: string, flags: string): string | undefined {
  if (!REGEX_FLAGS.test(flags)) return undefined; // the flags field reports it (zod runs this refinement anyway)
  if (new Set(flags).size !== flags.length) return `flags '${flags}' repeat a flag`;
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `is not a valid regular expression (${reason})`;
  }
  const unsupported = LINEAR_TIME_UNSUPPORTED.find(([construct]) => construct.test(pattern));
  return unsupported === undefined
    ? undefined
    : `uses ${unsupported[1]}, which the linear-time matcher does not support (rewrite the pattern without it)`;
}
