// The hostile-template corpus (fixtures/hostile, with the expected plain message of each in index.json): every file
// is stopped or refused by the guarded interpreter with its message and code, and no message carries interpreter
// jargon (token names, runtime value classes, JavaScript engine errors).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGuarded, renderGuarded, TemplateFailureError } from './guarded-render';
import { JARGON } from './plain-errors';

const dir = join(__dirname, 'fixtures', 'hostile');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
  templates: { file: string; code: string; message: string }[];
};

function failureOf(source: string): TemplateFailureError {
  try {
    renderGuarded(parseGuarded(source), { message: 'hi', examples: [] }, { warnUndefined: true });
  } catch (error) {
    if (error instanceof TemplateFailureError) return error;
    throw error;
  }
  throw new Error('rendered without a failure');
}

describe('hostile template corpus', () => {
  it('indexes every fixture, and holds at least 15', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jinja'))
      .sort();
    expect(index.templates.map((t) => t.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const entry of index.templates) {
    it(`${entry.file}: ${entry.code}`, () => {
      const { failure } = failureOf(readFileSync(join(dir, entry.file), 'utf8'));
      expect(failure.code).toBe(entry.code);
      expect(failure.message).toMatch(new RegExp(entry.message));
      expect(failure.message).not.toMatch(JARGON);
      expect(failure.hint).not.toMatch(JARGON);
    });
  }
});
