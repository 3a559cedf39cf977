// The table of interpreter messages -> plain explanations: the messages seen from @huggingface/jinja and from
// JavaScript beneath it, each translated without jargon, and parse errors placed at their line and column.
import { describe, expect, it } from 'vitest';
import {
  explainMessage,
  explainParseError,
  explainRenderError,
  findName,
  JARGON,
  TEMPLATE_MESSAGES,
} from './plain-errors';

/** Raw messages as the interpreter or JavaScript gives them, with what the author must read instead. */
const SEEN: [raw: string, plain: RegExp][] = [
  [
    'Parser Error: Expected closing expression token. CloseCurlyBracket !== CloseExpression.',
    /^Expected "}}" here but found "}"$/,
  ],
  [
    'Parser Error: Expected closing statement token. CloseExpression !== CloseStatement.',
    /^Expected "%}" here but found "}}"$/,
  ],
  ['Invalid array length', /list too long to hold/],
  ['Invalid string length', /text too long to hold/],
  ['Maximum call stack size exceeded', /nests too deeply/],
  ["Cannot read properties of undefined (reading 'type')", /reads "type" of something that is not set/],
  ["Cannot read properties of null (reading 'name')", /reads "name" of something that is not set/],
  ['Unexpected token: CloseExpression', /^"}}" is not expected here/],
  ['Unexpected end of input', /never closed/],
  ['Missing end of comment tag', /\{# is never closed/],
  ['Unexpected character: @', /"@" cannot be used inside/],
  ['Unknown statement type: while', /"\{% while %\}" is not a template statement/],
  ['Cannot perform operation + on undefined values', /"\+" is applied to a name that is not set/],
  ['Cannot perform operation on null values', /empty value \(none\)/],
  ['Cannot apply filter "upper" to type: IntegerValue', /"upper" cannot be applied to a whole number/],
  [
    'Unknown StringValue filter: shout',
    /^The filter "shout" cannot be applied to text \(or no filter has that name\)$/,
  ],
  ['Unknown NumericValue filter: upper', /^The filter "upper" cannot be applied to a number/],
  ['Unknown filter: Program', /no filter called "Program"/],
  ['Unknown test: bright', /no test called "bright"/],
  [
    'Cannot call something that is not a function: got UndefinedValue',
    /called like a function, but it is a name that is not set/,
  ],
  ['Unknown operator "-" between StringValue and IntegerValue', /"-" cannot combine text and a whole number/],
  ['Cannot compare ArrayValue with StringValue', /A list cannot be compared with text/],
  ['Expected iterable or object type in for loop: got IntegerValue', /for loop goes over a whole number/],
  ["'FloatValue' object is not iterable", /for loop goes over a number/],
  ['Too few items to unpack in set', /too few values/],
  ['Cannot access property with non-string: got BooleanValue', /looked up with true or false/],
  ['Cannot convert to JSON: FunctionValue', /A function or macro cannot be written as JSON/],
  ['Expected identifier for the filter', /filter name is missing after "\|"/],
  ['Expected 0-3 arguments for slice expression', /slice takes at most/],
  ['Expected `in` keyword following loop variable', /for item in list/],
  ['Variable already declared: x', /"x" is declared twice/],
];

describe('TEMPLATE_MESSAGES', () => {
  it.each(SEEN)('explains %s', (raw, plain) => {
    const explained = explainMessage(raw);
    expect(explained?.message).toMatch(plain);
    expect(explained?.message).not.toMatch(JARGON);
    expect(explained?.hint).not.toMatch(JARGON);
  });

  it('has a seen message for every row of the table', () => {
    const covered = TEMPLATE_MESSAGES.filter((row) => SEEN.some(([raw]) => row.pattern.test(raw)));
    // Rows for the rarer messages (out of memory, zero range step, powers, unpacking, duplicate parameters) are tested
    // through explainMessage in the cases below.
    for (const raw of [
      'ERR_WORKER_OUT_OF_MEMORY',
      'range() step must not be zero',
      'Exponentiation result is not a finite real number',
      'Cannot unpack non-iterable type: IntegerValue',
      'Duplicate parameter name: a',
      'Unknown operator "not" for ArrayValue',
      'Expected identifier following macro statement',
    ]) {
      expect(explainMessage(raw)?.message).not.toMatch(JARGON);
      covered.push(...TEMPLATE_MESSAGES.filter((row) => row.pattern.test(raw)));
    }
    expect(new Set(covered).size).toBe(TEMPLATE_MESSAGES.length);
  });
});

describe('placing errors', () => {
  it('puts a parse error at its line and column', () => {
    const source = 'Message: {{ message }}\nData: {{ {"a": 1 }}';
    const f = explainParseError(
      new Error('Parser Error: Expected closing expression token. CloseCurlyBracket !== CloseExpression.'),
      source,
    );
    expect(f).toMatchObject({
      code: 'template-syntax',
      line: 2,
      column: 7,
      message: 'Expected "}}" here but found "}" (line 2, column 7)',
    });
  });

  it('places a render error at the first use of the name it is about', () => {
    const f = explainRenderError(new Error('Unknown StringValue filter: shout'), 'A\n  {{ message | shout }}');
    expect(f).toMatchObject({ code: 'template-render', line: 2, column: 16 });
  });

  it('finds variables (not attributes, not quoted text) and, when asked, attributes', () => {
    expect(findName('{{ "message" }} {{ ex.message }}\n{{ message }}', 'message')).toEqual({ line: 2, column: 4 });
    expect(findName('{{ ex.message }}', 'message', true)).toEqual({ line: 1, column: 7 });
    expect(findName('no tags here', 'message')).toEqual({ line: null, column: null });
  });

  it('says what an unknown message is without hiding it', () => {
    expect(explainRenderError(new Error('something new'), '{{ x }}').message).toBe(
      'The template could not be rendered (something new)',
    );
  });
});
