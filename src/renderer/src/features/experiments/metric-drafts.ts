// The metric picker's state (pure): one draft per metric as the form holds it (text fields, threshold in percent),
// presets suggested from a dataset's references (JSON objects -> validity, fields and classification on a field with
// few values; text -> exact match, chrF, ROUGE-L), and the conversion to the contract's MetricSpec.
import { MetricSpec, metricLabel, type MetricKind, type MetricSpecInput } from '../../../../shared/metrics';
import { thresholdInput } from './format';

export interface MetricDraft {
  readonly kind: MetricKind;
  /** As typed: a percentage for proportions, 0-1 for other scores, a count for length; '' = no threshold. */
  readonly threshold: string;
  /** json_fields: comma-separated field names; classification: the JSON field ('' = the whole text). */
  readonly fields: string;
  readonly field: string;
  /** classification: comma-separated labels ('' = taken from the references). */
  readonly labels: string;
  /** regex */
  readonly pattern: string;
  /** length */
  readonly unit: 'chars' | 'tokens';
  /**
   * A spec imported from another tool (OpenAI graders): kept whole, so settings the form has no field for (a name,
   * normalize, regex flags) survive; the threshold and pattern typed here still apply.
   */
  readonly imported?: MetricSpecInput;
}

/** `importOnly`: made by importing (a judge metric needs its grader's prompt and labels), never added empty. */
export const METRIC_KINDS: readonly { kind: MetricKind; label: string; help: string; importOnly?: boolean }[] = [
  {
    kind: 'exact_match',
    label: 'Exact match',
    help: 'The output equals the reference (after trimming, case and spacing).',
  },
  { kind: 'contains', label: 'Contains reference', help: 'The reference occurs in the output.' },
  { kind: 'chrf', label: 'chrF', help: 'Character n-gram overlap with the reference (0-1).' },
  { kind: 'rouge_l', label: 'ROUGE-L', help: 'Longest common word sequence with the reference (0-1).' },
  { kind: 'json_valid', label: 'Valid JSON', help: 'The output parses as JSON.' },
  { kind: 'json_fields', label: 'JSON fields', help: 'Named fields of the output JSON equal the reference’s.' },
  {
    kind: 'classification',
    label: 'Classification',
    help: 'Accuracy of a label (a JSON field or the whole text), with a confusion matrix.',
  },
  { kind: 'regex', label: 'Regular expression', help: 'The output matches a pattern (no reference needed).' },
  { kind: 'length', label: 'Length', help: 'Average output length (lower is better).' },
  {
    kind: 'judge',
    label: 'Judge (model-graded)',
    help: 'A local judge specialization grades each output (imported from OpenAI graders or promptfoo).',
    importOnly: true,
  },
];

export function draftOf(kind: MetricKind, over: Partial<MetricDraft> = {}): MetricDraft {
  return { kind, threshold: '', fields: '', field: '', labels: '', pattern: '', unit: 'tokens', ...over };
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The spec a draft stands for, or why it cannot be one (keyed by the draft's field). */
export function specOf(d: MetricDraft): { spec: MetricSpecInput } | { error: string } {
  const t = d.threshold.trim();
  let threshold: number | undefined;
  if (t !== '') {
    const x = Number(t);
    if (!Number.isFinite(x)) return { error: 'The threshold must be a number' };
    const input = thresholdInput(d.kind);
    if (input === 'percent') {
      if (x < 0 || x > 100) return { error: 'The threshold is a percentage from 0 to 100' };
      threshold = Math.round(x * 1000) / 100_000;
    } else if (input === 'score') {
      threshold = x; // the spec holds it to the judge's range (labels: 0-1)
    } else if (input === 'fraction') {
      if (x < 0 || x > 1) return { error: 'The threshold is a score from 0 to 1' };
      threshold = x;
    } else {
      if (x < 0) return { error: 'The threshold must be 0 or more' };
      threshold = x;
    }
  }
  const base = threshold === undefined ? {} : { threshold };
  let raw: MetricSpecInput;
  switch (d.imported?.kind === d.kind ? 'imported' : d.kind) {
    case 'imported': {
      const kept: Record<string, unknown> = { ...d.imported };
      delete kept.threshold;
      raw = { ...kept, ...base, ...(d.kind === 'regex' ? { pattern: d.pattern } : {}) } as MetricSpecInput;
      break;
    }
    case 'json_fields':
      raw = { kind: 'json_fields', ...base, fields: list(d.fields) };
      break;
    case 'classification': {
      const labels = list(d.labels);
      raw = {
        kind: 'classification',
        ...base,
        ...(d.field.trim() === '' ? {} : { field: d.field.trim() }),
        ...(labels.length === 0 ? {} : { labels }),
      };
      break;
    }
    case 'regex':
      raw = { kind: 'regex', ...base, pattern: d.pattern };
      break;
    case 'length':
      raw = { kind: 'length', ...base, unit: d.unit };
      break;
    default:
      raw = { kind: d.kind, ...base } as MetricSpecInput;
  }
  const parsed = MetricSpec.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return { error: `${path === '' ? '' : `${path} `}${issue?.message ?? 'is not valid'}`.trim() };
  }
  return { spec: raw };
}

/** A draft holding an imported spec, its threshold as the form shows it. */
export function draftFromSpec(spec: MetricSpecInput): MetricDraft {
  const t = spec.threshold;
  const threshold =
    t === undefined ? '' : thresholdInput(spec.kind) === 'percent' ? String(Math.round(t * 100_000) / 1000) : String(t);
  return draftOf(spec.kind, { imported: spec, threshold, pattern: spec.kind === 'regex' ? spec.pattern : '' });
}

export function draftLabel(d: MetricDraft): string {
  const out = specOf(d);
  return 'spec' in out ? metricLabel(out.spec) : (METRIC_KINDS.find((k) => k.kind === d.kind)?.label ?? d.kind);
}

/** What the references of a dataset look like, from a sample of them. */
export interface ReferenceShape {
  readonly kind: 'none' | 'json' | 'text';
  /** JSON: the keys every sampled object has, in first-seen order. */
  readonly keys: readonly string[];
  /** JSON: the key that reads as a class (a few distinct short strings), if any. */
  readonly classKey: string | null;
}

const MAX_CLASSES = 30;

export function referenceShape(references: readonly (string | null)[]): ReferenceShape {
  const refs = references.filter((r): r is string => r !== null && r.trim() !== '');
  if (refs.length === 0) return { kind: 'none', keys: [], classKey: null };
  const objects: Record<string, unknown>[] = [];
  for (const r of refs) {
    try {
      const v: unknown = JSON.parse(r);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return { kind: 'text', keys: [], classKey: null };
      objects.push(v as Record<string, unknown>);
    } catch {
      return { kind: 'text', keys: [], classKey: null };
    }
  }
  const keys = Object.keys(objects[0] ?? {}).filter((k) => objects.every((o) => k in o));
  const classKey =
    keys.find((k) => {
      const values = objects.map((o) => o[k]);
      if (!values.every((v) => typeof v === 'string' && v.length <= 40)) return false;
      const distinct = new Set(values).size;
      return distinct >= 2 && distinct <= MAX_CLASSES && distinct <= Math.max(2, objects.length / 2);
    }) ?? null;
  return { kind: 'json', keys, classKey };
}

/** The metrics to start from for references of this shape; the first is the primary one. */
export function presetDrafts(shape: ReferenceShape): MetricDraft[] {
  if (shape.kind === 'json') {
    return [
      ...(shape.classKey ? [draftOf('classification', { field: shape.classKey })] : []),
      draftOf('json_valid'),
      ...(shape.keys.length > 0 ? [draftOf('json_fields', { fields: shape.keys.join(', ') })] : []),
    ];
  }
  if (shape.kind === 'text') return [draftOf('exact_match'), draftOf('chrf'), draftOf('rouge_l')];
  return [draftOf('json_valid'), draftOf('length')];
}
