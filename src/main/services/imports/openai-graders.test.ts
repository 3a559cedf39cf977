// OpenAI graders as metrics, on the sample eval written from the Evals API reference: string_check operations,
// text_similarity's rouge_l (others named), model graders named as not runnable locally, and bad input by line.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planGraders } from './openai-graders';

const sample = fs.readFileSync(fileURLToPath(new URL('./__fixtures__/openai-graders.json', import.meta.url)), 'utf8');

describe('planGraders', () => {
  it('maps string_check and rouge_l, and names the rest with why', () => {
    const plan = planGraders(sample, 'openai-graders.json');
    expect(plan.problems).toEqual([]);
    expect(plan.metrics.map((m) => [m.from, m.spec])).toEqual([
      ['Exact answer (string_check eq)', { kind: 'exact_match', name: 'Exact answer', normalize: false }],
      ['Mentions the answer (string_check ilike)', { kind: 'contains', name: 'Mentions the answer', normalize: true }],
      ['Says capital (string_check like)', { kind: 'regex', name: 'Says capital', pattern: 'capital', flags: '' }],
      ['ROUGE-L overlap (text_similarity rouge_l)', { kind: 'rouge_l', name: 'ROUGE-L overlap', threshold: 0.6 }],
    ]);
    expect(plan.metrics[3]?.note).toBe(
      'pass_threshold 0.6 is judged on the mean ROUGE-L over rows (OpenAI judges each row against it)',
    );
    expect(plan.unsupported.map((u) => [u.name, u.reason.split(';')[0]])).toEqual([
      ['Not a refusal', 'ne (not equal) has no metric here'],
      ['Fuzzy', 'the evaluation metric fuzzy_match is not computed here (rouge_l is'],
      ['Helpfulness', 'grades with a model (o4-mini)'],
      ['Tone', 'grades with a model (gpt-4o-mini)'],
      ['Compares the question', 'grades something other than the model output ({{sample.output_text}})'],
    ]);
    expect(plan.notes).toEqual([
      'Compares with {{item.answer}}: Dovetail compares with the dataset\'s reference field, so make "answer" the reference when you import the data.',
    ]);
  });

  it('makes label_model and score_model judge metrics once a local judge is picked', () => {
    const plan = planGraders(sample, 'openai-graders.json', { id: 'j1', name: 'Demo judge' });
    expect(plan.unsupported.map((u) => u.name)).not.toContain('Tone');
    const judged = plan.metrics.filter((m) => m.spec.kind === 'judge');
    expect(judged.map((m) => [m.from, m.spec])).toEqual([
      [
        'Helpfulness (score_model)',
        {
          kind: 'judge',
          name: 'Helpfulness',
          judge: 'j1',
          threshold: 5,
          prompt:
            'Rate the answer {{sample.output_text}} from 1 to 7.\n\nAnswer with a number from {{ min }} to {{ max }}.',
          answer: { kind: 'score', min: 1, max: 7 },
        },
      ],
      [
        'Tone (label_model)',
        {
          kind: 'judge',
          name: 'Tone',
          judge: 'j1',
          prompt: 'Classify the tone of {{sample.output_text}}\n\nAnswer with exactly one of: {{ labels }}.',
          answer: { kind: 'labels', labels: ['neutral', 'rude'], passing: ['neutral'] },
        },
      ],
    ]);
    expect(judged[0]?.note).toBe(
      'judged by the local "Demo judge" instead of o4-mini, decoded greedily (sampling_params are not used); ' +
        'pass_threshold 5 is judged on the mean score (OpenAI judges each row)',
    );
    // Labels the passing ones do not belong to, and a prompt that is not a template, are named.
    const bad = planGraders(
      JSON.stringify([
        { type: 'label_model', name: 'A', input: 'x', labels: ['a', 'b'], passing_labels: ['c'] },
        { type: 'score_model', name: 'B', input: [{ role: 'user', content: 'Rate {{ output' }] },
      ]),
      'g.json',
      { id: 'j1', name: 'Demo judge' },
    );
    expect(bad.problems.map((p) => p.reason)).toEqual([
      'has grader "A", which names "c", which is not one of the labels',
    ]);
    expect(bad.unsupported[0]?.reason).toMatch(/^its prompt cannot be a template/);
  });

  it('reads one grader or a list, and names a grader without a type by its line', () => {
    const one = planGraders(
      '{"type": "string_check", "input": "{{sample.output_text}}", "reference": "Paris", "operation": "eq"}',
      'g.json',
    );
    expect(one.metrics.map((m) => m.spec)).toEqual([
      { kind: 'regex', name: 'grader 1', pattern: '^Paris$', flags: '' },
    ]);
    const list = planGraders(
      '[\n  {"type": "python", "source": "def grade(s, i): return 1"},\n  {"name": "x"}\n]',
      'g.json',
    );
    expect(list.unsupported.map((u) => u.reason)).toEqual([
      'runs Python code; Dovetail does not run code from imported files',
    ]);
    expect(list.problems).toEqual([{ file: 'g.json', line: 3, reason: 'has grader 2, which has no type' }]);
    expect(planGraders('{"type": ', 'g.json').problems[0]?.reason).toMatch(/^is not valid JSON/);
  });
});
