import { describe, expect, it } from 'vitest';
import { BugError, CancelledError, UserError, fromErrorShape, toErrorShape } from './errors';

describe('error shapes', () => {
  it('round-trips a UserError with its hint and location', () => {
    const shape = toErrorShape(
      new UserError('Bad row', { hint: 'Fix the JSON', where: 'data.jsonl:12', code: 'parse' }),
    );
    expect(shape).toEqual({
      kind: 'user',
      message: 'Bad row',
      hint: 'Fix the JSON',
      where: 'data.jsonl:12',
      code: 'parse',
    });
    const back = fromErrorShape(shape);
    expect(back).toBeInstanceOf(UserError);
    expect((back as UserError).where).toBe('data.jsonl:12');
  });

  it('treats unknown throwables as bugs and keeps cancellation distinct', () => {
    expect(toErrorShape(new TypeError('x is undefined'))).toEqual({ kind: 'bug', message: 'x is undefined' });
    expect(toErrorShape('plain string')).toEqual({ kind: 'bug', message: 'plain string' });
    expect(fromErrorShape(toErrorShape(new CancelledError()))).toBeInstanceOf(CancelledError);
    expect(fromErrorShape(toErrorShape(new BugError('invariant')))).toBeInstanceOf(BugError);
  });
});
