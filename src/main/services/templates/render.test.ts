// renderRow: the one renderer of prompts (training, experiments, previews): fields by name, the reference kept out of
// the prompt, demonstrations as `examples`, the no-template form, parse and render errors named, runaway output cut.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { compileTemplate, hashTemplate, MAX_RENDERED_CHARS, renderRow, templateFields } from './render';

const roles = { input: ['message'], reference: 'output' };
const compiled = (source: string, chat = false) => ({ template: compileTemplate(source), like: { source, system: chat ? 'Be brief.' : null, chat } });

describe('renderRow', () => {
  it('fills fields by name and never shows the reference', () => {
    const t = compiled('Message: {{ message }}\nAnswer: {{ output }}');
    expect(renderRow(t, { message: 'hi', output: 'SECRET' }, roles, [], 'row 1').text).toBe('Message: hi\nAnswer: ');
  });

  it('gives demonstrations to the template as examples, references included', () => {
    const t = compiled('{% for ex in examples %}{{ ex.message }} => {{ ex.output }}\n{% endfor %}{{ message }} =>');
    const text = renderRow(t, { message: 'c', output: 'z' }, roles, [{ message: 'a', output: 'x' }, { message: 'b', output: 'y' }], 'row 1').text;
    expect(text).toBe('a => x\nb => y\nc =>');
  });

  it('without a template: the input fields, after the demonstrations with their references', () => {
    expect(renderRow(null, { message: 'hello', output: 'x' }, roles, [], 'row 1')).toEqual({ text: 'hello', system: null, chat: false });
    expect(renderRow(null, { message: 'c' }, roles, [{ message: 'a', output: 'x' }], 'row 1').text).toBe('a\nx\n\nc');
  });

  it('carries the chat setting and system message of the template', () => {
    expect(renderRow(compiled('{{ message }}', true), { message: 'q' }, roles, [], 'row 1')).toEqual({ text: 'q', system: 'Be brief.', chat: true });
  });

  it('names the row when rendering fails, and stops runaway output', () => {
    const failing = compiled('{{ message.upper() }}');
    expect(() => renderRow(failing, { message: 5 }, roles, [], 'row 7')).toThrow(UserError);
    try {
      renderRow(failing, { message: 5 }, roles, [], 'row 7');
    } catch (error) {
      expect((error as UserError).where).toBe('row 7');
    }
    const huge = compiled(`{% for i in range(${MAX_RENDERED_CHARS + 10}) %}x{% endfor %}`);
    expect(() => renderRow(huge, { message: '' }, roles, [], 'row 1')).toThrow(/over the 200,000 allowed/);
  });
});

describe('compileTemplate and templateFields', () => {
  it('refuses a template that does not parse, with a hint', () => {
    expect(() => compileTemplate('{{ message ', 'source')).toThrow(UserError);
    try {
      compileTemplate('{% for x in examples %}', 'source');
    } catch (error) {
      expect((error as UserError).code).toBe('template-syntax');
      expect((error as UserError).hint).toMatch(/endfor/);
    }
  });

  it('lists the fields a template reads, not loop variables, attributes or globals', () => {
    const t = compileTemplate('{% set p = "x" %}{% for ex in examples %}{{ ex.message }}{{ loop.index }}{% endfor %}{{ message | upper }} {{ customer.name }} {{ range(2) }}{{ p }}');
    expect(templateFields(t)).toEqual(['customer', 'examples', 'message']);
  });

  it('hashes source, system and chat', () => {
    const a = hashTemplate({ source: 'x', system: null, chat: false });
    expect(hashTemplate({ source: 'x', system: null, chat: true })).not.toBe(a);
    expect(hashTemplate({ source: 'x', system: null, chat: false })).toBe(a);
  });
});
