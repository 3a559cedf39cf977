// The promptfoo planner on the sample config written from promptfoo's configuration reference, and on one with a
// mistake of each kind, named by its line: what becomes templates, rows, metrics, and what is listed as unsupported.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planPromptfoo } from './promptfoo-config';

const fixture = (name: string) =>
  fs.readFileSync(fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url)), 'utf8');

describe('planPromptfoo', () => {
  it('makes templates, rows with the expected value, metrics, and names what has no equivalent', () => {
    const plan = planPromptfoo(fixture('promptfooconfig.yaml'), 'promptfooconfig.yaml');
    expect(plan.problems).toEqual([]);
    expect(plan.description).toBe('Capital cities');
    expect(plan.templates.map((t) => [t.label, t.source, t.fields])).toEqual([
      ['Prompt 1', 'Question: {{question}} Answer:', ['question']],
      ['Terse', 'Answer in one word.\nQ: {{ question }}\nA:\n', ['question']],
    ]);
    expect(plan.columns).toEqual([
      { name: 'test', role: 'key' },
      { name: 'question', role: 'input' },
      { name: 'answer', role: 'none' }, // read by the assertions only
      { name: 'expected', role: 'reference' },
      { name: 'description', role: 'none' },
    ]);
    expect(plan.rows[0]).toEqual({
      test: 'test-1',
      question: 'What is the capital of France?',
      answer: 'Paris',
      description: 'France',
      expected: 'Paris',
    });
    expect(plan.rows.map((r) => r.expected)).toEqual(['Paris', 'Tokyo', 'Rome', 'Nairobi']);
    expect(plan.metrics.map((m) => [m.from, m.spec])).toEqual([
      ['tests[0].assert[0]', { kind: 'contains', normalize: true, threshold: 1 }],
      ['defaultTest.assert[0]', { kind: 'exact_match', normalize: false, threshold: 1 }],
      ['defaultTest.assert[1]', { kind: 'regex', pattern: '^[A-Z]', flags: '', threshold: 1 }],
    ]);
    expect(plan.metrics[0]?.note).toContain('promptfoo checked it on 1 of 4 tests; here it scores every row');
    expect(plan.unsupported.map((u) => [u.name, u.from])).toEqual([
      ['levenshtein', 'tests[0].assert[1]'],
      ['javascript', 'defaultTest.assert[2]'],
      ['llm-rubric', 'defaultTest.assert[3]'],
      ['starts-with', 'tests[1].assert[0]'],
      ['similar', 'tests[3].assert[0]'],
    ]);
    expect(plan.unsupported.find((u) => u.name === 'javascript')?.reason).toBe(
      'runs code; Dovetail does not run code from imported files',
    );
    expect(plan.notes).toContain(
      'The providers (openai:gpt-4o-mini, vertex:gemini-2.0-flash-exp) are replaced by the local model you choose.',
    );
  });

  it('makes llm-rubric a pass/fail judge metric once a local judge is picked, and says a judge is needed before', () => {
    const without = planPromptfoo(fixture('promptfooconfig.yaml'), 'promptfooconfig.yaml');
    expect(without.unsupported.find((u) => u.name === 'llm-rubric')?.reason).toBe(
      "grades with a model (promptfoo's grader); pick a judge specialization (a local model with a template) to run it here",
    );
    const plan = planPromptfoo(fixture('promptfooconfig.yaml'), 'promptfooconfig.yaml', { id: 'j1', name: 'Judge' });
    expect(plan.unsupported.map((u) => u.name)).not.toContain('llm-rubric');
    const judged = plan.metrics.find((m) => m.from === 'defaultTest.assert[3]');
    expect(judged?.spec).toEqual({
      kind: 'judge',
      judge: 'j1',
      threshold: 1,
      prompt:
        'Grade the output against the rubric.\nRubric: Names a city\nOutput: {{ output }}\n' +
        'Does the output meet the rubric? Answer with one of: {{ labels }}.',
      answer: { kind: 'labels', labels: ['pass', 'fail'], passing: ['pass'] },
    });
    expect(judged?.note).toContain('judged by the local "Judge"');
  });

  it('names each mistake by its line in the config', () => {
    const plan = planPromptfoo(fixture('promptfoo-bad.yaml'), 'promptfoo-bad.yaml');
    expect(plan.problems.map((p) => [p.line, p.reason])).toEqual([
      [17, 'loads the var "text" of tests[2] from a file, which is not read'],
      [23, 'has the var "my-text" in tests[3], which cannot be a field name'],
      [13, "has tests[1] without an expected value, which the other tests' equals/contains checks compare with"],
      [22, "has tests[3] without an expected value, which the other tests' equals/contains checks compare with"],
      [3, 'has prompts[0] from file://prompts/translate.txt, which is not read'],
      [4, 'has prompts[1], which reads "langauge", which no test\'s vars give'],
    ]);
    // The Nunjucks filter is converted to Jinja's and parses.
    expect(plan.templates.map((t) => t.source)).toEqual(['{{ text | tojson }} in {{ language }}']);
  });

  it('holds converted prompts to the rules a saved template is held to', () => {
    const plan = planPromptfoo(
      "prompts:\n  - '{{ q.__class__ }}'\n  - '{% if %}'\ntests:\n  - vars: { q: a }\n",
      'x.yaml',
    );
    expect(plan.problems.map((p) => [p.line, p.reason])).toEqual([
      [
        2,
        'has prompts[0], which cannot be a template (The template cannot be used: The template reads "__class__", an internal attribute that templates may not use (line 1, column 6))',
      ],
      [
        3,
        'has prompts[1], which cannot be a template (The template cannot be parsed: "%}" is not expected here (something is missing before it) (line 1, column 1))',
      ],
    ]);
    expect(plan.templates).toEqual([]);
  });

  it('refuses what is not a config, and YAML that does not parse, by line', () => {
    expect(planPromptfoo('- just\n- a list\n', 'x.yaml').problems[0]?.reason).toBe(
      'is not a promptfoo config (a mapping with prompts and tests)',
    );
    const broken = planPromptfoo('prompts:\n  - "open\ntests: [\n', 'x.yaml').problems[0];
    expect(broken?.line).toBeGreaterThan(0);
    expect(broken?.reason).toMatch(/^is not valid YAML/);
    expect(planPromptfoo('prompts: [a]\ntests: file://tests.csv\n', 'x.yaml').problems[0]).toMatchObject({
      line: 2,
      reason: 'takes its tests from file://tests.csv, which is not read',
    });
  });

  it('reads a chat prompt as system text and a user template, and literal checks as regexes', () => {
    const plan = planPromptfoo(
      [
        'prompts:',
        `  - '[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "{{ q }}"}]'`,
        'defaultTest:',
        '  assert:',
        '    - type: icontains',
        '      value: "a.b"',
        '    - type: contains-any',
        '      value: [yes, no]',
        '    - type: is-json',
        '    - type: not-contains',
        '      value: sorry',
        'tests:',
        '  - vars: { q: "Is it?" }',
      ].join('\n'),
      'chat.yaml',
    );
    expect(plan.problems).toEqual([]);
    expect(plan.templates).toEqual([
      { label: 'Prompt 1', source: '{{ q }}', system: 'Be brief.', chat: true, fields: ['q'] },
    ]);
    expect(plan.metrics.map((m) => m.spec)).toEqual([
      { kind: 'regex', pattern: 'a\\.b', flags: 'i', threshold: 1 },
      { kind: 'regex', pattern: 'yes|no', flags: '', threshold: 1 },
      { kind: 'json_valid', threshold: 1 },
    ]);
    expect(plan.unsupported.map((u) => u.name)).toEqual(['not-contains']);
    expect(plan.columns.map((c) => c.name)).toEqual(['test', 'q']);
  });
});
