// How call errors read: user errors with their hint, bugs as "Something went wrong", validation at its field.
import { describe, expect, it } from 'vitest';
import { BugError, UserError } from '../../../shared/errors';
import { describeError, formErrors } from './error-text';

const validation = new UserError('Invalid argument for workspace.create: name: A name is required', {
  code: 'validation',
  where: 'workspace.create: name',
  hint: 'Check the highlighted field and try again.',
});

describe('describeError', () => {
  it('shows a user error with its hint', () => {
    expect(describeError(new UserError('Folder is not empty', { hint: 'Pick an empty folder.' }))).toEqual({
      title: 'Folder is not empty',
      detail: 'Pick an empty folder.',
      isBug: false,
    });
  });

  it('shows anything else as a bug with its message', () => {
    expect(describeError(new BugError('index out of range'))).toEqual({
      title: 'Something went wrong',
      detail: 'index out of range',
      isBug: true,
    });
    expect(describeError(new TypeError('x is undefined')).isBug).toBe(true);
  });
});

describe('formErrors', () => {
  it('puts a validation error at the field it names, with only the validation message', () => {
    expect(formErrors(validation, 'workspace.create', ['name', 'path'])).toEqual({
      byField: { name: 'A name is required' },
      rest: undefined,
    });
  });

  it('keeps the hint of other user errors at a field', () => {
    const error = new UserError('This folder is not empty.', {
      where: 'workspace.create: path',
      hint: 'Choose an empty folder.',
    });
    expect(formErrors(error, 'workspace.create', ['name', 'path']).byField).toEqual({
      path: 'This folder is not empty. Choose an empty folder.',
    });
  });

  it('leaves errors for other methods, other fields, or no field to the form', () => {
    expect(formErrors(validation, 'workspace.open', ['path']).rest).toBe(validation);
    expect(formErrors(validation, 'workspace.create', ['path']).rest).toBe(validation);
    const bug = new BugError('boom');
    expect(formErrors(bug, 'workspace.create', ['name'])).toEqual({ byField: {}, rest: bug });
  });
});
