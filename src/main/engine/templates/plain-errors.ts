// What a template error means, in a prompt author's words: the interpreter's and JavaScript's messages (token names,
// runtime value classes, engine errors) matched against one table and rewritten, with the line and column where the
// parser's message can be placed (shared/template-syntax.ts) or the name it is about can be found in the source.
import { position, scanTags, templateDiagnostic } from '../../../shared/template-syntax';

export type TemplateFailureCode = 'template-syntax' | 'template-internal' | 'template-too-long' | 'template-render';

export interface TemplateFailure {
  readonly code: TemplateFailureCode;
  readonly message: string;
  readonly hint: string;
  /** 1-based; null where the interpreter gives no place and no name to look for. */
  readonly line: number | null;
  readonly column: number | null;
}

/** What a prompt author must never be shown (token names, runtime value classes, engine errors); tests hold every
 * message to it. */
export const JARGON =
  /!==|[A-Z][a-z]+Value\b|Parser Error|CloseExpression|CloseCurlyBracket|Cannot read properties|Maximum call stack|Invalid array length|TypeError|RangeError|SyntaxError/;

const TOKENS: Record<string, string> = {
  CloseExpression: '}}',
  OpenExpression: '{{',
  CloseStatement: '%}',
  OpenStatement: '{%',
  CloseCurlyBracket: '}',
  OpenCurlyBracket: '{',
  CloseParen: ')',
  OpenParen: '(',
  CloseSquareBracket: ']',
  OpenSquareBracket: '[',
  Comma: ',',
  Dot: '.',
  Colon: ':',
  Pipe: '|',
  Equals: '=',
  Identifier: 'a name',
  StringLiteral: 'quoted text',
  NumericLiteral: 'a number',
  Text: 'plain text',
  Comment: 'a comment',
  CallOperator: '(',
  AdditiveBinaryOperator: 'an operator (+, -, ~)',
  MultiplicativeBinaryOperator: 'an operator (*, /, %)',
  ExponentiationBinaryOperator: '**',
  ComparisonBinaryOperator: 'a comparison',
  UnaryOperator: 'not',
};

const VALUES: Record<string, string> = {
  StringValue: 'text',
  IntegerValue: 'a whole number',
  FloatValue: 'a number',
  BooleanValue: 'true or false',
  ArrayValue: 'a list',
  TupleValue: 'a list',
  ObjectValue: 'a mapping of names to values',
  NullValue: 'an empty value (none)',
  UndefinedValue: 'a name that is not set',
  FunctionValue: 'a function or macro',
  KeywordArgumentsValue: 'named arguments',
  NamespaceValue: 'a namespace',
};

/** The value kinds the interpreter names in "Unknown <Kind>Value filter". */
const KINDS: Record<string, string> = {
  String: 'text',
  Numeric: 'a number',
  Array: 'a list',
  Object: 'a mapping',
  Boolean: 'true or false',
};

const token = (t: string): string =>
  TOKENS[t] && TOKENS[t]!.length <= 2 ? `"${TOKENS[t]}"` : (TOKENS[t] ?? 'something else');
const value = (v: string): string => VALUES[v] ?? 'a value of another kind';

const SYNTAX_HINT =
  'Check that every {{ has its }}, every {% its %}, and every {% for %} / {% if %} its {% endfor %} / {% endif %}.';
const LOOP_HINT =
  'Look for a loop that never ends, a loop inside a loop over long lists, or a macro that calls itself.';
const FILTER_HINT =
  'Check the spelling and what the filter is given; filters include upper, lower, trim, join, length, default, tojson.';
const FIELD_HINT = 'Check the names the template uses against the fields of the dataset (names are case-sensitive).';

interface Explained {
  message: string;
  hint: string;
  code?: TemplateFailureCode;
  /** A name to find in the source for a line and column. */
  name?: string;
  /** The name is an attribute (after a dot or in brackets), not a variable. */
  attribute?: boolean;
}

/** One row per message the interpreter (or JavaScript beneath it) is known to give; the first match wins. */
export const TEMPLATE_MESSAGES: readonly { pattern: RegExp; explain: (m: RegExpExecArray) => Explained }[] = [
  {
    pattern: /Parser Error: .*?\. (\w+) !== (\w+)\./,
    explain: (m) => ({ message: `Expected ${token(m[2]!)} here but found ${token(m[1]!)}`, hint: SYNTAX_HINT }),
  },
  {
    pattern: /Unexpected token(?: type)?: (\w+)/,
    explain: (m) => ({
      message: `${cap(token(m[1]!))} is not expected here (something is missing before it)`,
      hint: SYNTAX_HINT,
    }),
  },
  {
    pattern: /Unexpected end of input/,
    explain: () => ({
      message: 'The template ends inside a tag or a quoted text that is never closed',
      hint: 'Check that every {{ has its }}, every {% its %}, and every quote its closing quote.',
    }),
  },
  {
    pattern: /Missing end of comment tag/,
    explain: () => ({ message: 'A comment opened with {# is never closed with #}', hint: 'Add #} after the comment.' }),
  },
  {
    pattern: /Unexpected character: (.)/,
    explain: (m) => ({
      message: `The character "${m[1]}" cannot be used inside {{ }} or {% %}`,
      hint: 'Put plain text outside the tags, or quote it.',
    }),
  },
  {
    pattern: /Unknown statement(?: type)?[:,] (?:got )?(\S+)/,
    explain: (m) => ({
      message: `"{% ${m[1]} %}" is not a template statement`,
      hint: 'Statements are for, if, elif, else, set, macro, call, filter and their end tags.',
    }),
  },
  {
    pattern: /Expected identifier\/tuple for the loop variable|Expected `in` keyword following loop variable/,
    explain: () => ({ message: 'A for loop must read "{% for item in list %}"', hint: SYNTAX_HINT }),
  },
  {
    pattern: /Expected 0-3 arguments for slice expression/,
    explain: () => ({ message: 'A slice takes at most start:stop:step', hint: 'Write for example items[0:3].' }),
  },
  {
    pattern: /Expected identifier for the (filter|test)/,
    explain: (m) => ({
      message: `A ${m[1]} name is missing after "${m[1] === 'filter' ? '|' : 'is'}"`,
      hint: SYNTAX_HINT,
    }),
  },
  {
    pattern: /Duplicate parameter name: (\w+)/,
    explain: (m) => ({
      message: `The macro names its parameter "${m[1]}" twice`,
      hint: 'Give each parameter its own name.',
      name: m[1]!,
    }),
  },
  {
    pattern: /Variable already declared: (\w+)/,
    explain: (m) => ({ message: `"${m[1]}" is declared twice`, hint: 'Use another name.', name: m[1]! }),
  },
  {
    pattern: /Maximum call stack size exceeded/,
    explain: () => ({
      code: 'template-too-long',
      message:
        'The template nests too deeply (a macro that keeps calling itself, or brackets inside brackets thousands deep)',
      hint: LOOP_HINT,
    }),
  },
  {
    pattern: /Invalid array length/,
    explain: () => ({
      code: 'template-too-long',
      message: 'The template tried to build a list too long to hold',
      hint: LOOP_HINT,
    }),
  },
  {
    pattern: /Invalid string length/,
    explain: () => ({
      code: 'template-too-long',
      message: 'The template tried to build a text too long to hold',
      hint: LOOP_HINT,
    }),
  },
  {
    pattern: /out of memory|ERR_WORKER_OUT_OF_MEMORY/i,
    explain: () => ({
      code: 'template-too-long',
      message: 'The template used more memory than one render may and was stopped',
      hint: LOOP_HINT,
    }),
  },
  {
    pattern: /Cannot read properties of (undefined|null) \(reading '([^']*)'\)/,
    explain: (m) => ({
      message: `The template reads "${m[2]}" of something that is not set`,
      hint: FIELD_HINT,
      name: m[2]!,
      attribute: true,
    }),
  },
  {
    pattern: /Cannot perform operation (\S+) on undefined values/,
    explain: (m) => ({ message: `"${m[1]}" is applied to a name that is not set`, hint: FIELD_HINT }),
  },
  {
    pattern: /Cannot perform operation on null values/,
    explain: () => ({
      message: 'An operator is applied to an empty value (none)',
      hint: 'Check the value with {% if x is not none %} first.',
    }),
  },
  {
    pattern: /Cannot apply filter "(\w+)" to type: (\w+)/,
    explain: (m) => ({
      message: `The filter "${m[1]}" cannot be applied to ${value(m[2]!)}`,
      hint: m[2] === 'UndefinedValue' ? FIELD_HINT : 'Check what the filter is given.',
      name: m[1]!,
    }),
  },
  {
    pattern: /Unknown (String|Numeric|Array|Object|Boolean)Value filter: (\w+)/,
    explain: (m) => ({
      message: `The filter "${m[2]}" cannot be applied to ${KINDS[m[1]!]} (or no filter has that name)`,
      hint: FILTER_HINT,
      name: m[2]!,
    }),
  },
  {
    pattern: /Unknown filter: (\w+)/,
    explain: (m) => ({ message: `There is no filter called "${m[1]}"`, hint: FILTER_HINT, name: m[1]! }),
  },
  {
    pattern: /Unknown test: (\w+)/,
    explain: (m) => ({
      message: `There is no test called "${m[1]}" (as in "x is ${m[1]}")`,
      hint: 'Tests include defined, none, string, number, even, odd.',
      name: m[1]!,
    }),
  },
  {
    pattern: /Cannot call something that is not a function: got (\w+)/,
    explain: (m) => ({
      message: `Something is called like a function, but it is ${value(m[1]!)}`,
      hint:
        m[1] === 'UndefinedValue'
          ? 'Check the macro or function name (a macro cannot call itself by name).'
          : 'Only macros and functions can be called with ( ).',
    }),
  },
  {
    pattern: /Unknown operator "(.+)" between (\w+) and (\w+)/,
    explain: (m) => ({
      message: `"${m[1]}" cannot combine ${value(m[2]!)} and ${value(m[3]!)}`,
      hint: 'Use ~ to join texts, or convert with | string or | int.',
    }),
  },
  {
    pattern: /Unknown operator "(.+)" for (\w+)/,
    explain: (m) => ({ message: `"${m[1]}" cannot be applied to ${value(m[2]!)}`, hint: 'Check the operator.' }),
  },
  {
    pattern: /Cannot compare (?:different types: )?(\w+)(?: with | and )(\w+)/,
    explain: (m) => ({
      message: `${cap(value(m[1]!))} cannot be compared with ${value(m[2]!)}`,
      hint: 'Convert one side with | int or | string.',
    }),
  },
  {
    pattern: /Expected iterable or object type in for loop: got (\w+)|'(\w+)' object is not iterable/,
    explain: (m) => ({
      message: `A for loop goes over ${value(m[1] ?? m[2]!)}, which is not a list`,
      hint: 'Loop over a list field, examples, or range(n).',
    }),
  },
  {
    pattern: /Cannot unpack non-iterable type(?: in set)?: (\w+)/,
    explain: (m) => ({
      message: `${cap(value(m[1]!))} cannot be split into several names`,
      hint: 'Give a list with as many items as names.',
    }),
  },
  {
    pattern: /Too (few|many) items to unpack/,
    explain: (m) => ({
      message: `There are too ${m[1]} values for the names to set`,
      hint: 'Give as many values as names.',
    }),
  },
  {
    pattern: /Cannot access property with non-string(?:\/non-number)?: got (\w+)/,
    explain: (m) => ({
      message: `Items are looked up with ${value(m[1]!)}; use a name or a number`,
      hint: 'Write x["name"] or x[0].',
    }),
  },
  {
    pattern: /Cannot convert to JSON: (\w+)/,
    explain: (m) => ({
      message: `${cap(value(m[1]!))} cannot be written as JSON`,
      hint: 'Give tojson a field, a list or a mapping.',
    }),
  },
  {
    pattern: /range\(\) step must not be zero/,
    explain: () => ({ message: 'range() was given a step of 0', hint: 'Use a step of 1 or more.' }),
  },
  {
    pattern: /Exponentiation result is not a finite real number|cannot be raised to a negative power/,
    explain: () => ({ message: 'A power (**) gives no finite number', hint: 'Check the numbers used with **.' }),
  },
  // Last: the parser's other "Expected ..." messages name what is missing in words already.
  {
    pattern: /^Expected (.+)$/,
    explain: (m) => ({
      message: `Something is missing here: the template expected ${m[1]!.replace(/`/g, '"')}`,
      hint: SYNTAX_HINT,
    }),
  },
];

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The plain explanation of one message, or null when the table has no row for it. */
export function explainMessage(raw: string): Explained | null {
  for (const row of TEMPLATE_MESSAGES) {
    const m = row.pattern.exec(raw);
    if (m) return row.explain(m);
  }
  return null;
}

/** A parse error in the author's words, placed by the shared locator. */
export function explainParseError(error: unknown, source: string): TemplateFailure {
  const raw = messageOf(error);
  const diagnostic = templateDiagnostic(source);
  // The locator's own findings ("{% if %} has no {% endif %}") are already plain; the parser's are translated.
  const own =
    diagnostic && !diagnostic.message.startsWith(raw) && /^\{%/.test(diagnostic.message) ? diagnostic.message : null;
  const explained = explainMessage(diagnostic?.message ?? raw) ?? explainMessage(raw);
  // The locator's note on a tag that never closes ("(this {{ has no }})") says where the mistake starts.
  const note = own === null ? / \(this (\S+) has no \S+\)$/.exec(diagnostic?.message ?? '') : null;
  const base = own ?? explained?.message ?? 'The template has a mistake in its tags';
  const message = note && !base.includes(note[1]!) ? `${base}${note[0]}` : base;
  const hint = own !== null || !explained ? SYNTAX_HINT : explained.hint;
  const place = diagnostic
    ? { line: diagnostic.startLineNumber, column: diagnostic.startColumn }
    : { line: null, column: null };
  return {
    code: (own === null ? explained?.code : undefined) ?? 'template-syntax',
    message: `${message}${at(place)}`,
    hint,
    ...place,
  };
}

/** A render error in the author's words; placed where the name it is about first appears. */
export function explainRenderError(error: unknown, source: string): TemplateFailure {
  const raw = messageOf(error);
  const explained = explainMessage(raw);
  if (!explained) {
    return {
      code: 'template-render',
      message: `The template could not be rendered (${raw.slice(0, 200)})`,
      hint: FIELD_HINT,
      line: null,
      column: null,
    };
  }
  const place = explained.name ? findName(source, explained.name, explained.attribute) : { line: null, column: null };
  return {
    code: explained.code ?? 'template-render',
    message: `${explained.message}${at(place)}`,
    hint: explained.hint,
    ...place,
  };
}

/**
 * Where a name is first used inside a tag ({{ }} or {% %}): a variable (not after a dot, not in quotes), or with
 * `attribute` any use (x.name, x['name']).
 */
export function findName(
  source: string,
  name: string,
  attribute = false,
): { line: number | null; column: number | null } {
  const escaped = name.replace(/[^\w]/g, '\\$&');
  const word = new RegExp(attribute ? `(?<!\\w)${escaped}(?!\\w)` : `(?<![\\w.])${escaped}\\b`);
  for (const tag of scanTags(source)) {
    if (tag.kind === '{#') continue;
    const inner = attribute ? tag.inner : tag.inner.replace(/"[^"]*"|'[^']*'/g, (s) => ' '.repeat(s.length));
    const m = word.exec(inner);
    if (m) return position(source, tag.start + 2 + m.index);
  }
  return { line: null, column: null };
}

function at(place: { line: number | null; column: number | null }): string {
  return place.line === null ? '' : ` (line ${place.line}, column ${place.column})`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? 'ERR_WORKER_OUT_OF_MEMORY'
      : error.message;
  return String(error);
}
