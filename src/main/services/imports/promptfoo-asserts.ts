// One promptfoo assertion read as a Dovetail metric. Two kinds map: checks against a value that differs per test
// (equals, contains, icontains: the value becomes the row's reference) and checks that need no reference or a fixed
// value (is-json, regex, starts-with, contains-any and a literal equals/contains, as a regex on RE2). The rest are
// named with why they cannot run here. A promptfoo test fails on any failed check, so pass/fail checks get the
// threshold 1 (every row must pass).
import { RegexSpec, type MetricSpecInput } from '../../../shared/metrics';
import { varReference } from './nunjucks';
import { llmRubric, needsJudge, type PickedJudge } from './judge-graders';

export interface AssertSource {
  readonly type: string;
  readonly value: unknown;
  readonly metric: string | undefined;
  /** Where it is, for the preview: "defaultTest.assert[0]" or "tests[2].assert[1]". */
  readonly from: string;
  /** defaultTest's assertions apply to every test; a test's own only to it. */
  readonly everyTest: boolean;
}

export type MappedAssert =
  /** Compared with the row's reference; `expected` is the value (literal) or the var it names. */
  | {
      kind: 'reference';
      spec: MetricSpecInput;
      expected: { literal: string } | { variable: string };
      note: string | null;
    }
  | { kind: 'fixed'; spec: MetricSpecInput; note: string | null }
  | { kind: 'unsupported'; reason: string };

const JUDGED = new Set([
  'llm-rubric',
  'model-graded-closedqa',
  'model-graded-factuality',
  'factuality',
  'g-eval',
  'answer-relevance',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'select-best',
  'search-rubric',
  'conversation-relevance',
  'classifier',
  'moderation',
]);
const PER_TEST =
  'its value is given per test; no metric here compares with a value that differs per row (move it to defaultTest if it holds for every test)';
const CODE = new Set(['javascript', 'python', 'webhook', 'ruby']);

const ICONTAINS_NOTE =
  "normalised before comparing: case, spacing and surrounding punctuation (promptfoo's icontains ignores case only)";

export function mapAssert(a: AssertSource, judge: PickedJudge | null = null): MappedAssert {
  const type = a.type;
  if (type.startsWith('not-')) return unsupported('negated checks have no metric here');
  if (CODE.has(type)) return unsupported('runs code; Dovetail does not run code from imported files');
  if (type === 'llm-rubric') {
    if (judge === null) return unsupported(needsJudge("promptfoo's grader"));
    const mapped = llmRubric(a.value, judge);
    if (typeof mapped === 'string') return unsupported(mapped);
    return {
      kind: 'fixed',
      spec: a.metric === undefined ? mapped.spec : { ...mapped.spec, name: a.metric.trim().slice(0, 80) },
      note: mapped.note,
    };
  }
  if (JUDGED.has(type))
    return unsupported('needs a judge model; of the model-graded checks only llm-rubric runs on a local judge here');
  const named = (spec: MetricSpecInput): MetricSpecInput =>
    a.metric === undefined ? spec : { ...spec, name: a.metric.trim().slice(0, 80) };
  const text = typeof a.value === 'string' || typeof a.value === 'number' ? String(a.value) : null;
  const variable = text === null ? null : varReference(text);
  const perRow = (spec: MetricSpecInput, note: string | null): MappedAssert => {
    if (text === null) return unsupported('its value is not text');
    const expected = variable !== null ? { variable } : { literal: text };
    // A literal shared by every test is a fixed check: a regex says it exactly, without a reference column.
    if (variable === null && a.everyTest) return fixedLiteral(type, text, named);
    return { kind: 'reference', spec: named(spec), expected, note };
  };
  switch (type) {
    case 'equals':
      return perRow({ kind: 'exact_match', normalize: false, threshold: 1 }, null);
    case 'contains':
      return perRow({ kind: 'contains', normalize: false, threshold: 1 }, null);
    case 'icontains':
      return perRow({ kind: 'contains', normalize: true, threshold: 1 }, ICONTAINS_NOTE);
    case 'starts-with':
    case 'regex':
      if (text === null || variable !== null || !a.everyTest) return unsupported(PER_TEST);
      return fixedLiteral(type, text, named);
    case 'contains-any':
    case 'icontains-any': {
      if (!a.everyTest) return unsupported(PER_TEST);
      const values = Array.isArray(a.value)
        ? a.value.map(String)
        : text === null
          ? []
          : text.split(',').map((v) => v.trim());
      if (values.length === 0 || values.some((v) => varReference(v) !== null)) return unsupported(PER_TEST);
      return regex(values.map(escapeRegex).join('|'), type === 'icontains-any' ? 'i' : '', named);
    }
    case 'is-json':
      if (a.value !== undefined && a.value !== null && typeof a.value === 'object' && !Array.isArray(a.value))
        return {
          kind: 'fixed',
          spec: named({ kind: 'json_schema', schema: a.value as Record<string, unknown>, threshold: 1 }),
          note: null,
        };
      return {
        kind: 'fixed',
        spec: named({ kind: 'json_valid', threshold: 1 }),
        note: 'Dovetail wants a JSON object or array (a code fence around it is allowed); promptfoo accepts any JSON value',
      };
    case 'contains-json':
      return unsupported("Dovetail's JSON metrics read the whole output, not JSON inside other text");
    case 'levenshtein':
      return unsupported(
        'no edit-distance metric here (chrF is the nearest character-level score; add it by hand if it fits)',
      );
    case 'similar':
      return unsupported('needs an embedding model');
    case 'rouge-n':
      return unsupported('ROUGE-N is not computed here (ROUGE-L is; add it by hand if it fits)');
    default:
      return unsupported('no equivalent metric here');
  }
}

function unsupported(reason: string): MappedAssert {
  return { kind: 'unsupported', reason };
}

/** A check against one literal for every row, said as a regex (RE2, so no pattern can stall scoring). */
function fixedLiteral(type: string, value: string, named: (s: MetricSpecInput) => MetricSpecInput): MappedAssert {
  const literal = escapeRegex(value);
  switch (type) {
    case 'equals':
      return regex(`^${literal}$`, '', named);
    case 'contains':
      return regex(literal, '', named);
    case 'icontains':
      return regex(literal, 'i', named);
    case 'starts-with':
      return regex(`^${literal}`, '', named);
    default:
      return regex(value, '', named);
  }
}

function regex(pattern: string, flags: string, named: (s: MetricSpecInput) => MetricSpecInput): MappedAssert {
  const spec = { kind: 'regex', pattern, flags, threshold: 1 } as const;
  const checked = RegexSpec.safeParse(spec);
  if (!checked.success) return unsupported(`its pattern ${checked.error.issues[0]?.message ?? 'is not valid'}`);
  return { kind: 'fixed', spec: named(spec), note: null };
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
