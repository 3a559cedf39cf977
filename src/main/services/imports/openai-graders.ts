// OpenAI eval graders read as Dovetail metrics: string_check (eq, like, ilike; ne has no metric) and
// text_similarity (rouge_l; the other evaluation metrics are not computed here) over the model's output
// ({{sample.output_text}}) and the dataset's reference ({{item.<field>}}) or a literal. score_model and label_model
// become judge metrics when a local judge specialization is picked (judge-graders.ts), and say so when none is;
// python and multi graders are named as not runnable locally. The file is JSON: one grader, a list, or an eval
// (its testing_criteria); problems name their line.
import type { RowProblem } from '../../../shared/contract/datasets';
import type { ImportedMetric, UnsupportedCheck } from '../../../shared/contract/imports';
import { MetricSpec, type MetricSpecInput } from '../../../shared/metrics';
import { LineCounter, parseDocument } from 'yaml';
import { escapeRegex } from './promptfoo-asserts';
import { labelModel, needsJudge, scoreModel, type PickedJudge } from './judge-graders';

export interface GradersPlan {
  readonly metrics: ImportedMetric[];
  readonly unsupported: UnsupportedCheck[];
  readonly notes: string[];
  readonly problems: RowProblem[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const OUTPUT = /^\s*\{\{\s*sample\.output_text\s*\}\}\s*$/;
const ITEM = /^\s*\{\{\s*item\.([A-Za-z_][\w.]*)\s*\}\}\s*$/;

export function planGraders(text: string, file: string, judge: PickedJudge | null = null): GradersPlan {
  const problems: RowProblem[] = [];
  const lines = new LineCounter();
  // JSON is YAML: the YAML reader gives each grader's line.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  for (const error of doc.errors)
    problems.push({ file, line: error.linePos?.[0].line ?? 0, reason: `is not valid JSON (${error.code})` });
  if (problems.length > 0) return { metrics: [], unsupported: [], notes: [], problems };
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  const listPath = isObject(root) && Array.isArray(root.testing_criteria) ? ['testing_criteria'] : [];
  const graders: unknown[] = Array.isArray(root)
    ? root
    : isObject(root) && Array.isArray(root.testing_criteria)
      ? root.testing_criteria
      : [root];
  const lineOf = (i: number): number => {
    const path = Array.isArray(root) || listPath.length > 0 ? [...listPath, i] : [];
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : 1;
  };
  const metrics: ImportedMetric[] = [];
  const unsupported: UnsupportedCheck[] = [];
  const references = new Set<string>();
  for (const [i, grader] of graders.entries()) {
    if (!isObject(grader) || typeof grader.type !== 'string') {
      problems.push({ file, line: lineOf(i), reason: `has grader ${i + 1}, which has no type` });
      continue;
    }
    const name = typeof grader.name === 'string' && grader.name.trim() !== '' ? grader.name.trim() : `grader ${i + 1}`;
    const from = `${name} (${grader.type}${typeof grader.operation === 'string' ? ` ${grader.operation}` : ''}${typeof grader.evaluation_metric === 'string' ? ` ${grader.evaluation_metric}` : ''})`;
    const mapped = mapGrader(grader, judge);
    if (typeof mapped === 'string') {
      unsupported.push({ name, from, reason: mapped });
      continue;
    }
    const spec = MetricSpec.safeParse({ ...mapped.spec, name: name.slice(0, 80) });
    if (!spec.success) {
      problems.push({
        file,
        line: lineOf(i),
        reason: `has grader "${name}", which ${spec.error.issues[0]?.message ?? 'is not valid'}`,
      });
      continue;
    }
    if (mapped.reference !== null) references.add(mapped.reference);
    metrics.push({ spec: spec.data, from, note: mapped.note });
  }
  const notes = [...references].map(
    (field) =>
      `Compares with {{item.${field}}}: Dovetail compares with the dataset's reference field, so make "${field}" the reference when you import the data.`,
  );
  if (references.size > 1)
    notes.push('The graders compare with different item fields; a dataset has one reference field.');
  return { metrics, unsupported, notes, problems };
}

type Mapped = { spec: MetricSpecInput; reference: string | null; note: string | null } | string;

function mapGrader(g: Json, judge: PickedJudge | null): Mapped {
  switch (g.type) {
    case 'score_model':
    case 'label_model': {
      if (judge === null) return needsJudge(typeof g.model === 'string' ? g.model : 'a grader model');
      const mapped = g.type === 'label_model' ? labelModel(g, judge) : scoreModel(g, judge);
      return typeof mapped === 'string' ? mapped : { ...mapped, reference: null };
    }
    case 'python':
      return 'runs Python code; Dovetail does not run code from imported files';
    case 'multi':
      return 'combines graders with a formula; import its graders one by one';
    case 'string_check':
      return stringCheck(g);
    case 'text_similarity':
      return textSimilarity(g);
    default:
      return `is of an unknown grader type ${JSON.stringify(g.type)}`;
  }
}

function graded(g: Json): string | null {
  return typeof g.input === 'string' && OUTPUT.test(g.input)
    ? null
    : 'grades something other than the model output ({{sample.output_text}}); metrics here grade the output';
}

function stringCheck(g: Json): Mapped {
  const wrong = graded(g);
  if (wrong !== null) return wrong;
  if (typeof g.reference !== 'string') return 'has no reference text';
  const item = ITEM.exec(g.reference)?.[1] ?? null;
  const literal = item === null ? g.reference : null;
  if (literal !== null && /\{\{/.test(literal))
    return 'compares with a template Dovetail cannot fill (only {{item.<field>}} or text)';
  switch (g.operation) {
    case 'eq':
      return literal === null
        ? { spec: { kind: 'exact_match', normalize: false }, reference: item, note: null }
        : { spec: { kind: 'regex', pattern: `^${escapeRegex(literal)}$` }, reference: null, note: null };
    case 'like':
      return literal === null
        ? { spec: { kind: 'contains', normalize: false }, reference: item, note: null }
        : { spec: { kind: 'regex', pattern: escapeRegex(literal) }, reference: null, note: null };
    case 'ilike':
      return literal === null
        ? {
            spec: { kind: 'contains', normalize: true },
            reference: item,
            note: 'normalised before comparing: case, spacing and surrounding punctuation (ilike ignores case only)',
          }
        : { spec: { kind: 'regex', pattern: escapeRegex(literal), flags: 'i' }, reference: null, note: null };
    case 'ne':
      return 'ne (not equal) has no metric here';
    default:
      return `has the operation ${JSON.stringify(g.operation ?? null)} (expected eq, ne, like or ilike)`;
  }
}

function textSimilarity(g: Json): Mapped {
  const wrong = graded(g);
  if (wrong !== null) return wrong;
  const item = typeof g.reference === 'string' ? (ITEM.exec(g.reference)?.[1] ?? null) : null;
  if (item === null) return 'compares with something other than a dataset field ({{item.<field>}})';
  const metric = typeof g.evaluation_metric === 'string' ? g.evaluation_metric : '';
  if (metric !== 'rouge_l')
    return `the evaluation metric ${metric || '(none)'} is not computed here (rouge_l is; chrF is the nearest to fuzzy_match)`;
  const threshold =
    typeof g.pass_threshold === 'number' && g.pass_threshold >= 0 && g.pass_threshold <= 1
      ? g.pass_threshold
      : undefined;
  return {
    spec: { kind: 'rouge_l', ...(threshold === undefined ? {} : { threshold }) },
    reference: item,
    note:
      threshold === undefined
        ? null
        : `pass_threshold ${threshold} is judged on the mean ROUGE-L over rows (OpenAI judges each row against it)`,
  };
}
