// Dates and where a save error belongs.
import { describe, expect, it } from 'vitest';
import { BugError, UserError } from '../../../../shared/errors';
import { saveErrorPart, shortDate } from './format';

describe('prompts formatting', () => {
  it('writes a date to the minute', () => {
    expect(shortDate('2025-03-14T09:26:53.120Z')).toMatch(/^2025-03-1\d \d\d:\d6$/);
    expect(shortDate('not a date')).toBe('not a date');
  });

  it('places save errors at the name or the source', () => {
    expect(saveErrorPart(new UserError('Name the new template', { where: 'name' }))).toBe('name');
    expect(
      saveErrorPart(new UserError('Invalid argument', { code: 'validation', where: 'templates.save: name' })),
    ).toBe('name');
    expect(
      saveErrorPart(new UserError('The template cannot be parsed: x', { code: 'template-syntax', where: 'source' })),
    ).toBe('source');
    expect(saveErrorPart(new UserError('No template t'))).toBeNull();
    expect(saveErrorPart(new BugError('boom'))).toBeNull();
  });
});
