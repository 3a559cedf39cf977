// The shapes scoring produces: one ExampleScore per (metric, example), and the Aggregate over a run.

/** What a scorer found beyond the number, kept for the UI's per-example view. Only the relevant fields are set. */
export interface ScoreDetail {
  /** Why the output failed: a JSON parse error, schema violations, a missing field or reference. */
  errors?: string[];
  /** json_fields: each scored field, right or wrong. */
  fields?: Record<string, boolean>;
  /** classification: the normalised reference label and prediction ("" when the output had no label). */
  expected?: string;
  predicted?: string;
  /** chrf and rouge_l: the precision and recall behind the F-score. */
  precision?: number;
  recall?: number;
  /** judge: the judge's answer (cut to 500 characters), what it was read as, and whether it could not be read. */
  answer?: string;
  parsed?: string | number;
  unparseable?: boolean;
}

export interface ExampleScore {
  /** 1/0 for binary metrics, a fraction for json_fields, [0, 1] for chrf and rouge_l, a count for length; null when
   * the example cannot be scored (no reference, or an unusable one). */
  score: number | null;
  detail?: ScoreDetail;
}

export interface ExampleInput {
  output: string;
  reference: string | null;
  /** Tokenizer count of the output; required by length in tokens. */
  outputTokens?: number;
  /** judge: the judge's raw answer for this output (undefined: not judged yet). */
  judgeAnswer?: string;
}

export interface FieldAccuracy {
  correct: number;
  /** Examples whose reference has the field. */
  n: number;
  accuracy: number | null;
}

export interface Aggregate {
  /** Mean of the per-example scores that are not null; null when none is. */
  value: number | null;
  /** Examples scored. */
  n: number;
  /** Examples left unscored (score null). */
  missing: number;
  /** Whether value meets the spec's threshold (in its direction); absent without a threshold or a value. */
  passed?: boolean;
  /** json_fields: accuracy of each field over the examples whose reference has it. */
  perField?: Record<string, FieldAccuracy>;
  /** classification: rows = true labels, columns = predicted labels then "(other)". */
  confusion?: { labels: string[]; columns: string[]; matrix: number[][] };
  macroF1?: number | null;
}
