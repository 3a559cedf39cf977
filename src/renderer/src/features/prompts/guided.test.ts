// Guided mode composes templates that parse, read the dataset's fields, ask for the format, and show examples.
import { describe, expect, it } from 'vitest';
import { readFields } from '../../../../shared/template-fields';
import { composeTemplate, formatSentence, STARTERS } from './guided';

const triage = { inputs: ['message'], reference: 'output' };

describe('composeTemplate', () => {
  it('writes the instruction, format, rules, the examples loop and the row', () => {
    const source = composeTemplate(
      {
        instruction: 'Triage the message.',
        format: { kind: 'json', fields: ['category', 'urgency'] },
        constraints: ['Be brief.', ' '],
        examples: true,
      },
      triage,
    );
    expect(source).toBe(
      'Triage the message.\n\nReply with a JSON object with the fields "category" and "urgency", and nothing else.\n\nRules:\n- Be brief.\n\n' +
        '{% for ex in examples %}Message: {{ ex.message }}\nOutput: {{ ex.output }}\n\n{% endfor %}Message: {{ message }}\nOutput: ',
    );
    expect(readFields(source)).toEqual({ ok: true, fields: ['examples', 'message'] });
  });

  it('asks for a label from the list, or nothing for free text, and keeps literal braces literal', () => {
    expect(formatSentence({ kind: 'label', labels: ['a', 'b'] })).toBe(
      'Answer with exactly one of these labels: a, b. Write only the label.',
    );
    expect(formatSentence({ kind: 'free' })).toBeNull();
    const source = composeTemplate(
      { instruction: 'Reply like {{ this }}', format: { kind: 'free' }, constraints: [], examples: false },
      { inputs: ['q'], reference: null },
    );
    expect(source).toBe("Reply like {{ '{' }}{ this }}\n\nQ: {{ q }}\nAnswer: ");
    expect(readFields(source)).toEqual({ ok: true, fields: ['q'] });
  });

  it('every starter composes a template that parses', () => {
    expect(STARTERS.map((s) => s.id)).toEqual(['classification', 'extraction', 'rewriting', 'qa']);
    for (const s of STARTERS) expect(readFields(composeTemplate(s.spec, triage)).ok).toBe(true);
  });
});
