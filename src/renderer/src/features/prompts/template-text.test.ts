// The Prompts screen's template helpers: fields read, checks against a dataset, starting templates, examples loop.
import { Template } from '@huggingface/jinja';
import { describe, expect, it } from 'vitest';
import {
  checkFields,
  fieldLabel,
  insertExamplesLoop,
  readFields,
  startingName,
  startingTemplate,
} from './template-text';

const triage = {
  name: 'Support triage',
  fields: ['id', 'message', 'output'],
  roles: { input: ['message'], reference: 'output' },
};

describe('readFields', () => {
  it('lists the context names a template reads, not loop variables, properties or globals', () => {
    const source =
      '{% for ex in examples %}{{ ex.message }} {{ loop.index }}{% endfor %}{% set n = 2 %}{{ message | upper }} {{ meta["k"] }} {{ n }}{{ tone | default(style) }}{% if extra is defined %}{% endif %}';
    expect(readFields(source)).toEqual({ ok: true, fields: ['examples', 'extra', 'message', 'meta', 'style', 'tone'] });
    expect(readFields('Summarize for {{ audience }}: {{ document }}')).toEqual({
      ok: true,
      fields: ['audience', 'document'],
    });
  });

  it('says why a template does not parse', () => {
    const parsed = readFields('Hello {{ name');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).not.toBe('');
  });
});

describe('checkFields', () => {
  it('finds fields the dataset lacks and the reference read outside the examples', () => {
    expect(checkFields(['examples', 'message', 'output', 'tone'], triage)).toEqual({
      missing: ['tone'],
      reference: 'output',
      usesExamples: true,
    });
    expect(checkFields(['message'], triage)).toEqual({ missing: [], reference: null, usesExamples: false });
  });
});

describe('starting templates', () => {
  it('words the demo triage dataset as the task asks', () => {
    expect(startingTemplate(triage)).toBe('Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ');
    expect(startingName(triage)).toBe('Support triage prompt');
  });

  it('falls back to labelled input lines for any other dataset', () => {
    const other = {
      name: 'Clauses',
      fields: ['clause_text', 'risk'],
      roles: { input: ['clause_text', 'not valid'], reference: 'risk' },
    };
    expect(startingTemplate(other)).toBe(
      'Write the risk for this Clauses example.\nClause text: {{ clause_text }}\nRisk: ',
    );
    expect(startingTemplate({ ...other, roles: { input: ['clause_text'], reference: null } })).toBe(
      'Answer for this Clauses example.\nClause text: {{ clause_text }}\nAnswer: ',
    );
    expect(fieldLabel('customerMessage')).toBe('Customer message');
  });
});

describe('insertExamplesLoop', () => {
  it('repeats the row part for each example before the row, with its reference', () => {
    const source = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
    const withLoop = insertExamplesLoop(source, triage);
    expect(withLoop).toBe(
      'Triage this support message as JSON.\n{% for ex in examples %}Message: {{ ex.message }}\nTicket: {{ ex.output }}\n\n{% endfor %}Message: {{ message }}\nTicket: ',
    );
    const examples = [{ message: 'Refund?', output: '{"category": "billing"}' }];
    expect(new Template(withLoop).render({ message: 'Help', examples })).toBe(
      'Triage this support message as JSON.\nMessage: Refund?\nTicket: {"category": "billing"}\n\nMessage: Help\nTicket: ',
    );
  });

  it('puts the reference on its own line after a field, and loops over the inputs when there are no fields', () => {
    expect(insertExamplesLoop('{{ message }}', triage)).toBe(
      '{% for ex in examples %}{{ ex.message }}\n{{ ex.output }}\n\n{% endfor %}{{ message }}',
    );
    expect(insertExamplesLoop('Classify.', triage)).toBe(
      'Classify.\n{% for ex in examples %}Message: {{ ex.message }}\nOutput: {{ ex.output }}\n\n{% endfor %}',
    );
    expect(insertExamplesLoop('', null)).toBe(
      '{% for ex in examples %}Input: {{ ex.input }}\nOutput: {{ ex.output }}\n\n{% endfor %}',
    );
  });
});
