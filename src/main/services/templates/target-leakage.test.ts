// Target leakage on the bundled support-triage validation rows, whose reference is a JSON object of category, priority
// and summary that the rows also hold as fields: a template reading one of them is flagged (approval then fails).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTargetLeakage } from './target-leakage';

const rows = fs
  .readFileSync(
    fileURLToPath(new URL('../../../../resources/datasets/support-triage/validation.jsonl', import.meta.url)),
    'utf8',
  )
  .trim()
  .split('\n')
  .map((line) => ({ data: JSON.parse(line) as Record<string, unknown> }));
const roles = { reference: 'output', label: null };

describe('target leakage', () => {
  it('passes a template that reads only the message', () => {
    expect(checkTargetLeakage(['message'], roles, rows)).toMatchObject({ outcome: 'passed', fields: [] });
  });

  it('flags a field that is a key of the JSON reference, the reference itself and the label', () => {
    const report = checkTargetLeakage(
      ['category', 'message', 'output'],
      { reference: 'output', label: 'priority' },
      rows,
    );
    expect(report.outcome).toBe('failed');
    expect(report.fields).toEqual(['category', 'output']);
    expect(report.message).toContain('"category" (the reference is a JSON object with a "category" key)');
    expect(checkTargetLeakage(['priority'], { reference: 'output', label: 'priority' }, rows).message).toContain(
      'it is the label',
    );
  });

  it('flags a field whose value the reference contains in most rows, under another name', () => {
    const renamed = rows.map((r) => ({
      data: { message: r.data.message, queue: r.data.category, output: `Route to ${String(r.data.category)}.` },
    }));
    const report = checkTargetLeakage(['queue'], roles, renamed);
    expect(report).toMatchObject({ outcome: 'failed', fields: ['queue'] });
    expect(report.message).toMatch(/found in the reference in \d+ of \d+ validation rows/);
  });
});
