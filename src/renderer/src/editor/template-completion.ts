// What the template editor offers as you type (pure, so it is unit-tested without Monaco): after `|` the filters
// @huggingface/jinja implements; after `ex.` (a demonstration in `{% for ex in examples %}`) the dataset's fields;
// inside {{ }} or {% %} the dataset's fields, `examples`, `loop` and the helpers; just after a `{` outside a tag,
// snippets that open an expression or a block (nothing elsewhere in plain text: prose is typed undisturbed). And the
// hover text of a field: its value in the preview row.

export type CompletionKind = 'field' | 'filter' | 'helper' | 'keyword' | 'snippet';

export interface TemplateCompletion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Monaco snippet syntax (${1:x}) when kind is 'snippet'. */
  readonly insertText: string;
  readonly detail: string;
}

/** Filters of @huggingface/jinja, with what each does. */
export const TEMPLATE_FILTERS: Readonly<Record<string, string>> = {
  upper: 'UPPER CASE',
  lower: 'lower case',
  title: 'Title Case',
  capitalize: 'First letter upper case',
  trim: 'without surrounding spaces',
  length: 'number of characters or items',
  default: "a value when missing: default('none')",
  join: "items joined: join(', ')",
  replace: "replace('a', 'b')",
  first: 'first item',
  last: 'last item',
  reverse: 'items reversed',
  sort: 'items sorted',
  unique: 'items without repeats',
  tojson: 'as JSON',
  indent: 'indented lines',
  items: 'key, value pairs of a mapping',
  map: "map(attribute='name')",
  selectattr: "items whose attribute is true: selectattr('done')",
  rejectattr: 'items whose attribute is false',
  string: 'as text',
  int: 'as a whole number',
  float: 'as a number',
  round: 'rounded',
  abs: 'absolute value',
  wordcount: 'number of words',
  truncate: 'shortened: truncate(200)',
  safe: 'unchanged (no escaping here)',
  escape: 'HTML-escaped',
};

/** Names available inside a template besides the row's fields. */
export const TEMPLATE_HELPERS: Readonly<Record<string, string>> = {
  examples: 'the demonstration rows (a demonstration set chosen in the preview)',
  loop: 'inside a for: loop.index, loop.first, loop.last, loop.length',
  range: 'range(n): 0 .. n-1',
  namespace: 'namespace(count=0): a value a loop can change',
  raise_exception: "raise_exception('message'): stop with an error",
};

const KEYWORDS = [
  'for',
  'in',
  'if',
  'elif',
  'else',
  'endif',
  'endfor',
  'set',
  'not',
  'and',
  'or',
  'is',
  'defined',
  'true',
  'false',
  'none',
];

const SNIPPETS: TemplateCompletion[] = [
  { label: '{{ field }}', kind: 'snippet', insertText: '{{ ${1:field} }}', detail: 'Show a field of the row' },
  {
    label: '{% for ex in examples %}',
    kind: 'snippet',
    insertText: '{% for ex in examples %}\n${1}\n{% endfor %}',
    detail: 'Repeat for each demonstration',
  },
  {
    label: '{% if %}',
    kind: 'snippet',
    insertText: '{% if ${1:condition} %}\n${2}\n{% endif %}',
    detail: 'Show a part only when a condition holds',
  },
];

/** Whether the text before the cursor ends inside an unclosed {{ or {% tag. */
export function insideTag(before: string): boolean {
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open < 0) return false;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  return close < open;
}

export function completionsAt(before: string, fields: readonly string[]): TemplateCompletion[] {
  const field = (name: string): TemplateCompletion => ({
    label: name,
    kind: 'field',
    insertText: name,
    detail: 'dataset field',
  });
  if (!insideTag(before))
    return /\{$/.test(before) ? SNIPPETS.map((s) => ({ ...s, insertText: s.insertText.slice(1) })) : [];
  if (/\|\s*\w*$/.test(before))
    return Object.entries(TEMPLATE_FILTERS).map(([label, detail]) => ({
      label,
      kind: 'filter',
      insertText: label,
      detail,
    }));
  const member = /(\w+)\.\w*$/.exec(before);
  if (member) {
    if (member[1] === 'loop')
      return ['index', 'index0', 'first', 'last', 'length', 'revindex'].map((label) => ({
        label,
        kind: 'helper',
        insertText: label,
        detail: 'loop variable',
      }));
    return fields.map(field);
  }
  return [
    ...fields.map(field),
    ...Object.entries(TEMPLATE_HELPERS).map(([label, detail]): TemplateCompletion => ({
      label,
      kind: 'helper',
      insertText: label,
      detail,
    })),
    ...KEYWORDS.map((label): TemplateCompletion => ({ label, kind: 'keyword', insertText: label, detail: 'keyword' })),
  ];
}

/** The hover text of a word in the template: a field's value in the preview row (cut at 500 characters), or null. */
export function hoverText(
  word: string,
  precededByDot: boolean,
  row: Readonly<Record<string, unknown>> | null,
  reference: string | null,
): string | null {
  if (precededByDot || row === null || !Object.hasOwn(row, word)) return null;
  const value = row[word];
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const cut = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  const note = word === reference ? '\n\n(the expected output: left out of the prompt, renders empty)' : '';
  return `**${word}** in the preview row:\n\n\`\`\`\n${cut}\n\`\`\`${note}`;
}
