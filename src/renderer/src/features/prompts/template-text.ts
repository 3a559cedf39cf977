// Pure helpers over a template's Jinja source for the Prompts screen: the fields it reads (parsed with
// @huggingface/jinja, the renderer the services use), checks against a dataset, a starting template for a dataset,
// and the `{% for ex in examples %}` loop that shows demonstrations. Rendering itself is the templates service's job.
export { readFields, type ParsedFields } from '../../../../shared/template-fields';

/** The context variable that holds a demonstration set's rows (the templates service binds it). */
export const EXAMPLES_VARIABLE = 'examples';

/** What a starting template needs to know about a dataset version. */
export interface DatasetShape {
  readonly name: string;
  readonly fields: readonly string[];
  readonly roles: { readonly input: readonly string[]; readonly reference: string | null };
}

/** How the fields a template reads stand against a dataset version. */
export interface FieldCheck {
  /** Read by the template but not in the dataset: they render empty. */
  readonly missing: string[];
  /** The dataset's reference (expected answer): removed from the prompt, so it renders empty outside `examples`. */
  readonly reference: string | null;
  readonly usesExamples: boolean;
}

export function checkFields(fields: readonly string[], dataset: Pick<DatasetShape, 'fields' | 'roles'>): FieldCheck {
  const known = new Set(dataset.fields);
  const ref = dataset.roles.reference;
  return {
    missing: fields.filter((f) => f !== EXAMPLES_VARIABLE && !known.has(f)),
    reference: ref !== null && fields.includes(ref) ? ref : null,
    usesExamples: fields.includes(EXAMPLES_VARIABLE),
  };
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** "customer_message" -> "Customer message". */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words === '' ? name : words[0]!.toUpperCase() + words.slice(1);
}

interface Starter {
  readonly inputs: readonly string[];
  readonly instruction: string;
  /** Labels of the fields by name; the reference's label ends the template. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Worded starting points for the datasets the demo workspace ships, by normalised dataset name. */
const KNOWN_STARTERS: Readonly<Record<string, Starter>> = {
  supporttriage: {
    inputs: ['message'],
    instruction: 'Triage this support message as JSON.',
    labels: { message: 'Message', output: 'Ticket' },
  },
  wordnetsupersense: {
    inputs: ['word', 'pos', 'definition'],
    instruction: 'Name the WordNet supersense of this word sense.',
    labels: { word: 'Word', pos: 'Part of speech', definition: 'Definition', output: 'Supersense' },
  },
};

/**
 * A first template for a dataset: an instruction, one "Label: {{ field }}" line per input field and the reference's
 * label to finish, e.g. "Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ".
 */
export function startingTemplate(dataset: DatasetShape): string {
  const inputs = dataset.roles.input.filter((f) => IDENTIFIER.test(f));
  const known = KNOWN_STARTERS[dataset.name.toLowerCase().replace(/[^a-z0-9]/g, '')];
  const fits = known !== undefined && known.inputs.every((f) => inputs.includes(f));
  const label = (f: string) => (fits ? known.labels[f] : undefined) ?? fieldLabel(f);
  const ref = dataset.roles.reference;
  const instruction = fits
    ? known.instruction
    : `${ref === null ? 'Answer' : `Write the ${fieldLabel(ref).toLowerCase()}`} for this ${dataset.name} example.`;
  const lines = inputs.map((f) => `${label(f)}: {{ ${f} }}`);
  return [instruction, ...lines, `${ref === null ? 'Answer' : label(ref)}: `].join('\n');
}

/** The default name of a new template for a dataset. */
export function startingName(dataset: Pick<DatasetShape, 'name'>): string {
  return `${dataset.name} prompt`;
}

/**
 * Puts a loop over the demonstrations just before the part of the template that shows the row (its first line
 * with a `{{ }}`), repeating that part for each example with `ex.` fields and the example's reference after it:
 * "Message: {{ message }}\nTicket: " gets "{% for ex in examples %}Message: {{ ex.message }}\nTicket: {{ ex.output
 * }}\n\n{% endfor %}" in front. A template without fields gets the loop at its end, over the dataset's inputs.
 */
export function insertExamplesLoop(source: string, dataset: Pick<DatasetShape, 'roles'> | null): string {
  const reference = dataset ? dataset.roles.reference : 'output';
  const lines = source.split('\n');
  const first = lines.findIndex((line) => /\{\{/.test(line));
  if (first < 0) {
    const inputs = (dataset?.roles.input ?? ['input']).filter((f) => IDENTIFIER.test(f));
    const shown = inputs.map((f) => `${fieldLabel(f)}: {{ ex.${f} }}`);
    if (reference !== null && IDENTIFIER.test(reference)) shown.push(`${fieldLabel(reference)}: {{ ex.${reference} }}`);
    const loop = `{% for ex in ${EXAMPLES_VARIABLE} %}${shown.join('\n')}\n\n{% endfor %}`;
    return source === '' || source.endsWith('\n') ? `${source}${loop}` : `${source}\n${loop}`;
  }
  const part = lines.slice(first);
  const body = part.map((line) =>
    line.replace(/\{\{(-?)\s*([A-Za-z_]\w*)/g, (_m, dash: string, name: string) => `{{${dash} ex.${name}`),
  );
  if (reference !== null && IDENTIFIER.test(reference)) {
    const last = body[body.length - 1] ?? '';
    const answer = `{{ ex.${reference} }}`;
    if (/\{\{/.test(last)) body.push(answer);
    else body[body.length - 1] = last === '' || /\s$/.test(last) ? `${last}${answer}` : `${last} ${answer}`;
  }
  const loop = `{% for ex in ${EXAMPLES_VARIABLE} %}${body.join('\n').replace(/\n*$/, '')}\n\n{% endfor %}`;
  return [...lines.slice(0, first), `${loop}${part.join('\n')}`].join('\n');
}
