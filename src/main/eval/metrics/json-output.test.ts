import { describe, expect, it } from 'vitest';
import { fieldText, isJsonContainer, parseJsonOutput, readField, unfence } from './json-output';

function value(text: string): unknown {
  const parsed = parseJsonOutput(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('parseJsonOutput', () => {
  it('trims and tolerates a surrounding fence, tagged json or not', () => {
    expect(value('  {"a": 1}\n')).toEqual({ a: 1 });
    expect(value('```json\n{"a": 1}\n```')).toEqual({ a: 1 });
    expect(value('```JSON\r\n[1, 2]\r\n```\n')).toEqual([1, 2]);
    expect(value('```\n{"a": "x"}\n```')).toEqual({ a: 'x' });
    expect(value('```{"a": 1}```')).toEqual({ a: 1 });
  });

  it('rejects trailing or leading text, other fence languages and empty output', () => {
    expect(parseJsonOutput('{"a": 1} and that is all').ok).toBe(false);
    expect(parseJsonOutput('Here it is: {"a": 1}').ok).toBe(false);
    expect(parseJsonOutput('```json\n{"a": 1}\n```\nHope this helps!').ok).toBe(false);
    expect(parseJsonOutput('```javascript\n{"a": 1}\n```').ok).toBe(false);
    expect(parseJsonOutput('```json\n```')).toEqual({ ok: false, error: 'empty output' });
    expect(parseJsonOutput('   ')).toEqual({ ok: false, error: 'empty output' });
    expect(parseJsonOutput("{'a': 1}").ok).toBe(false);
  });

  it('keeps a fence inside a JSON string', () => {
    expect(unfence('```json\n{"code": "```x```"}\n```')).toBe('{"code": "```x```"}');
  });

  it('counts only objects and arrays as containers', () => {
    expect(isJsonContainer(value('{}'))).toBe(true);
    expect(isJsonContainer(value('[]'))).toBe(true);
    expect(isJsonContainer(value('"text"'))).toBe(false);
    expect(isJsonContainer(value('3'))).toBe(false);
    expect(isJsonContainer(value('null'))).toBe(false);
  });
});

describe('readField and fieldText', () => {
  it('reads literal keys first, then dotted paths', () => {
    const object = { 'a.b': 1, a: { b: 2, c: { d: 'x' } } };
    expect(readField(object, 'a.b')).toBe(1);
    expect(readField(object, 'a.c.d')).toBe('x');
    expect(readField(object, 'a.z')).toBeUndefined();
    expect(readField(object, 'missing')).toBeUndefined();
  });

  it('renders values canonically', () => {
    expect(fieldText('Paris')).toBe('Paris');
    expect(fieldText(42)).toBe('42');
    expect(fieldText(null)).toBe('null');
    expect(fieldText({ b: 1, a: [true] })).toBe(fieldText({ a: [true], b: 1 }));
  });
});
