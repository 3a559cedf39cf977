// Guided mode (pure): what a person who never writes a template fills in (instruction, output format, constraints,
// whether to show the demonstration set's examples) composed into a template, and the library of starting points.
// The template it makes is ordinary Jinja: it opens in the editor and is saved and versioned like any other.
import { EXAMPLES_VARIABLE, fieldLabel } from './template-text';

export type OutputFormat =
  | { readonly kind: 'free' }
  | { readonly kind: 'label'; readonly labels: readonly string[] }
  | { readonly kind: 'json'; readonly fields: readonly string[] };

export interface GuidedSpec {
  readonly instruction: string;
  readonly format: OutputFormat;
  /** One rule a line, e.g. "Keep it under 50 words." */
  readonly constraints: readonly string[];
  readonly examples: boolean;
}

export interface GuidedDataset {
  readonly inputs: readonly string[];
  readonly reference: string | null;
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

function quoteList(items: readonly string[]): string {
  const quoted = items.map((i) => `"${i}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** The sentence that asks for the output format, or null for free text. */
export function formatSentence(format: OutputFormat): string | null {
  switch (format.kind) {
    case 'free':
      return null;
    case 'label':
      return `Answer with exactly one of these labels: ${format.labels.join(', ')}. Write only the label.`;
    case 'json':
      return `Reply with a JSON object with the fields ${quoteList(format.fields)}, and nothing else.`;
  }
}

/** Escapes text that is shown literally so that it cannot open a Jinja tag (the parser has no {% raw %}). */
function literal(text: string): string {
  return text.replace(/\{(?=[{%#])/g, "{{ '{' }}");
}

export function composeTemplate(spec: GuidedSpec, dataset: GuidedDataset): string {
  const inputs = dataset.inputs.filter((f) => IDENTIFIER.test(f));
  const answer = dataset.reference !== null && IDENTIFIER.test(dataset.reference) ? dataset.reference : null;
  const answerLabel = answer === null ? 'Answer' : fieldLabel(answer);
  const head = [literal(spec.instruction.trim())];
  const format = formatSentence(spec.format);
  if (format !== null) head.push(literal(format));
  const rules = spec.constraints.map((c) => c.trim()).filter((c) => c !== '');
  if (rules.length > 0) head.push(['Rules:', ...rules.map((r) => `- ${literal(r)}`)].join('\n'));
  const row = (prefix: string) => inputs.map((f) => `${fieldLabel(f)}: {{ ${prefix}${f} }}`).join('\n');
  const parts = [head.filter((p) => p !== '').join('\n\n')];
  if (spec.examples) {
    const shown = answer === null ? row('ex.') : `${row('ex.')}\n${answerLabel}: {{ ex.${answer} }}`;
    parts.push(`{% for ex in ${EXAMPLES_VARIABLE} %}${shown}\n\n{% endfor %}${row('')}\n${answerLabel}: `);
  } else {
    parts.push(`${row('')}\n${answerLabel}: `);
  }
  return parts.join('\n\n');
}

export interface Starter {
  readonly id: 'classification' | 'extraction' | 'rewriting' | 'qa';
  readonly title: string;
  readonly description: string;
  readonly spec: GuidedSpec;
}

/** The library of starting templates (their fields, and labels, come from the dataset chosen for the preview). */
export const STARTERS: readonly Starter[] = [
  {
    id: 'classification',
    title: 'Classification',
    description: 'Put each input in one of a few categories.',
    spec: {
      instruction: 'Classify the message into one category.',
      format: { kind: 'label', labels: ['billing', 'bug', 'account', 'other'] },
      constraints: ['If unsure, answer with the closest label.'],
      examples: true,
    },
  },
  {
    id: 'extraction',
    title: 'Extraction to JSON',
    description: 'Pull named facts out of text as a JSON object.',
    spec: {
      instruction: 'Extract the facts from the text.',
      format: { kind: 'json', fields: ['name', 'date', 'amount'] },
      constraints: ['Use null for a fact the text does not give.'],
      examples: true,
    },
  },
  {
    id: 'rewriting',
    title: 'Rewriting',
    description: 'Rewrite text in another tone, length or style.',
    spec: {
      instruction: 'Rewrite the text in a friendly, plain style.',
      format: { kind: 'free' },
      constraints: ['Keep every fact.', 'Keep it under 80 words.'],
      examples: false,
    },
  },
  {
    id: 'qa',
    title: 'Question answering',
    description: 'Answer a question from a given context.',
    spec: {
      instruction: 'Answer the question using only the context.',
      format: { kind: 'free' },
      constraints: ["If the context does not say, answer: I don't know."],
      examples: false,
    },
  },
];
