// The template editor's language help without Monaco: parse-error positions, completions and hover values.
import { describe, expect, it } from 'vitest';
import { completionsAt, hoverText, insideTag } from './template-completion';
import { templateDiagnostic } from './template-diagnostics';

describe('templateDiagnostic', () => {
  it('is null for a template that parses', () => {
    expect(templateDiagnostic('Hi {{ name }}{% for x in xs %}{{ x }}{% endfor %}')).toBeNull();
  });

  it('marks an expression tag that does not parse, exactly', () => {
    const d = templateDiagnostic('Line one\nMessage: {{ message | }} and more');
    expect(d).toMatchObject({ startLineNumber: 2, startColumn: 10, endLineNumber: 2, endColumn: 25 });
    expect(d!.message).toMatch(/Unexpected token/);
  });

  it('marks a tag that never closes, to the end of its line', () => {
    expect(templateDiagnostic('A\nTriage: {{ message\nB')).toMatchObject({
      startLineNumber: 2,
      startColumn: 9,
      endLineNumber: 2,
      endColumn: 19,
    });
  });

  it('marks an unclosed block and a mismatched end tag', () => {
    expect(templateDiagnostic('x\n{% for ex in examples %}\n{{ ex }}')).toMatchObject({
      startLineNumber: 2,
      startColumn: 1,
      message: expect.stringMatching(/no \{% endfor %\}/),
    });
    expect(templateDiagnostic('{% if a %}x{% endfor %}')).toMatchObject({
      startColumn: 12,
      message: expect.stringMatching(/expected \{% endif %\}/),
    });
    expect(templateDiagnostic('{% for in xs %}{% endfor %}')).toMatchObject({
      startLineNumber: 1,
      startColumn: 1,
      endColumn: 16,
    });
  });
});

describe('completionsAt', () => {
  const fields = ['message', 'category'];
  const labels = (before: string) => completionsAt(before, fields).map((c) => c.label);

  it('offers fields, examples and helpers inside a tag, filters after |, fields after ex.', () => {
    expect(insideTag('Hi {{ me')).toBe(true);
    expect(insideTag('Hi {{ me }} ')).toBe(false);
    expect(labels('Hi {{ me')).toEqual(
      expect.arrayContaining(['message', 'category', 'examples', 'loop', 'range', 'for']),
    );
    expect(labels('{{ message | up')).toEqual(expect.arrayContaining(['upper', 'lower', 'default', 'tojson']));
    expect(labels('{{ message | up')).not.toContain('message');
    expect(labels('{% for ex in examples %}{{ ex.')).toEqual(['message', 'category']);
    expect(labels('{{ loop.')).toContain('index');
  });

  it('offers snippets just after a { outside a tag, and nothing in plain text', () => {
    expect(completionsAt('Message: ', fields)).toEqual([]);
    const outside = completionsAt('Message: {', fields);
    expect(outside.every((c) => c.kind === 'snippet')).toBe(true);
    expect(outside[0]!.insertText).toBe('{ ${1:field} }}');
  });
});

describe('hoverText', () => {
  it("shows a field's value in the preview row, and says when it is the reference", () => {
    const row = { message: 'My invoice is wrong', output: '{"a":1}', n: 3 };
    expect(hoverText('message', false, row, 'output')).toContain('My invoice is wrong');
    expect(hoverText('n', false, row, 'output')).toContain('3');
    expect(hoverText('output', false, row, 'output')).toMatch(/expected output/);
    expect(hoverText('message', true, row, 'output')).toBeNull();
    expect(hoverText('missing', false, row, 'output')).toBeNull();
    expect(hoverText('message', false, null, null)).toBeNull();
    expect(hoverText('message', false, { message: 'x'.repeat(600) }, null)).toContain('…');
  });
});
