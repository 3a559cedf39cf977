// Model graders read as judge metrics, run by a local judge specialization the user picks: OpenAI's label_model
// (labels, passing_labels) and score_model (range, pass_threshold), and promptfoo's llm-rubric (pass or fail against
// the rubric). The grader's own prompt becomes the metric's template (OpenAI's {{item.x}} and {{sample.output_text}}
// are read as they are), with a last line asking for an answer a small local model can give.
import type { MetricSpecInput } from '../../../shared/metrics';
import { UserError } from '../../../shared/errors';
import { compileTemplate } from '../templates/render';

/** The judge specialization picked for model graders. */
export interface PickedJudge {
  readonly id: string;
  readonly name: string;
}

export type JudgeMapped = { spec: MetricSpecInput; note: string } | string;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const NO_INPUT = 'has no input to grade with (text, or messages with text content)';

export function needsJudge(what: string): string {
  return `grades with a model (${what}); pick a judge specialization (a local model with a template) to run it here`;
}

/** OpenAI label_model: the answer must be one of `labels`; `passing_labels` score 1. */
export function labelModel(g: Json, judge: PickedJudge): JudgeMapped {
  const prompt = messagesText(g.input);
  if (prompt === null) return NO_INPUT;
  const labels = strings(g.labels);
  const passing = strings(g.passing_labels);
  if (labels === null || labels.length < 2) return 'has no labels (at least two are needed)';
  if (passing === null || passing.length === 0) return 'has no passing_labels';
  const source = `${prompt}\n\nAnswer with exactly one of: {{ labels }}.`;
  const problem = templateProblem(source);
  if (problem !== null) return problem;
  return {
    spec: { kind: 'judge', judge: judge.id, prompt: source, answer: { kind: 'labels', labels, passing } },
    note: judgeNote(g, judge),
  };
}

/** OpenAI score_model: a number in `range` (default 0 to 1); pass_threshold becomes the mean's threshold. */
export function scoreModel(g: Json, judge: PickedJudge): JudgeMapped {
  const prompt = messagesText(g.input);
  if (prompt === null) return NO_INPUT;
  const range = Array.isArray(g.range) && g.range.length === 2 && g.range.every((v) => typeof v === 'number');
  const [min, max] = range ? (g.range as [number, number]) : [0, 1];
  if (!(min < max)) return `has the range [${min}, ${max}] (expected [low, high])`;
  const threshold = typeof g.pass_threshold === 'number' ? g.pass_threshold : undefined;
  if (threshold !== undefined && (threshold < min || threshold > max))
    return `has pass_threshold ${threshold}, outside its range ${min} to ${max}`;
  const source = `${prompt}\n\nAnswer with a number from {{ min }} to {{ max }}.`;
  const problem = templateProblem(source);
  if (problem !== null) return problem;
  const thresholdNote =
    threshold === undefined ? '' : `; pass_threshold ${threshold} is judged on the mean score (OpenAI judges each row)`;
  return {
    spec: {
      kind: 'judge',
      judge: judge.id,
      prompt: source,
      answer: { kind: 'score', min, max },
      ...(threshold === undefined ? {} : { threshold }),
    },
    note: `${judgeNote(g, judge)}${thresholdNote}`,
  };
}

/** promptfoo llm-rubric: pass or fail against the rubric; a test's vars ({{ var }}) are read from the row. */
export function llmRubric(value: unknown, judge: PickedJudge): JudgeMapped {
  if (typeof value !== 'string' || value.trim() === '') return 'has no rubric text';
  const rubric = value.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, '{{ item.$1 }}');
  if (/\{%|\{#/.test(rubric) || /\{\{(?!\s*item\.[A-Za-z_][A-Za-z0-9_]*\s*\}\})/.test(rubric))
    return 'its rubric uses template logic beyond {{ var }}, which is not converted';
  const source =
    'Grade the output against the rubric.\n' +
    `Rubric: ${rubric}\n` +
    'Output: {{ output }}\n' +
    'Does the output meet the rubric? Answer with one of: {{ labels }}.';
  const problem = templateProblem(source);
  if (problem !== null) return problem;
  return {
    spec: {
      kind: 'judge',
      judge: judge.id,
      prompt: source,
      answer: { kind: 'labels', labels: ['pass', 'fail'], passing: ['pass'] },
      threshold: 1,
    },
    note: `judged by the local "${judge.name}" (pass or fail, decoded greedily) instead of promptfoo's grader model`,
  };
}

function judgeNote(g: Json, judge: PickedJudge): string {
  const model = typeof g.model === 'string' ? g.model : 'its model';
  return `judged by the local "${judge.name}" instead of ${model}, decoded greedily (sampling_params are not used)`;
}

/** The grader's messages as one text (system and user turns in order, a blank line between); a string as it is. */
function messagesText(input: unknown): string | null {
  if (typeof input === 'string') return input.trim() === '' ? null : input;
  if (!Array.isArray(input) || input.length === 0) return null;
  const parts: string[] = [];
  for (const m of input) {
    if (!isObject(m)) return null;
    const text = contentText(m.content);
    if (text === null) return null;
    parts.push(text);
  }
  return parts.join('\n\n');
}

function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (isObject(content) && typeof content.text === 'string') return content.text;
  if (Array.isArray(content)) {
    const texts = content.map(contentText);
    return texts.some((t) => t === null) ? null : texts.join('\n');
  }
  return null;
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

function templateProblem(source: string): string | null {
  try {
    compileTemplate(source, 'grader prompt');
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return `its prompt cannot be a template (${error.message})`;
  }
}
