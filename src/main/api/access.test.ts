// The dispatcher's access check on its own, with stand-in facts about the workspace: who the actor is (signed-in
// profile, nobody, a review link), role refusals that name the role, and reviewers kept blind while a round is open.
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../shared/contract/define';
import type { UserRole } from '../../shared/contract/users';
import { UserError } from '../../shared/errors';
import { AccessControl, permissionOf, type AccessDeps } from './access';

const USERS = [
  { id: 'u-admin', name: 'Ada', role: 'admin' as UserRole },
  { id: 'u-editor', name: 'Eli', role: 'editor' as UserRole },
  { id: 'u-analyst', name: 'Ann', role: 'analyst' as UserRole },
  { id: 'u-reviewer', name: 'Rex', role: 'reviewer' as UserRole },
];

function control(
  signedIn: string | undefined,
  opts: { open?: boolean; reviewing?: Record<string, { name: string; experimentId: string }[]> } = {},
): AccessControl {
  const deps: AccessDeps = {
    workspaceOpen: () => opts.open ?? true,
    signedIn: () => USERS.find((u) => u.id === signedIn),
    user: (id) => USERS.find((u) => u.id === id),
    openReviews: (userId) => opts.reviewing?.[userId] ?? [],
  };
  return new AccessControl(permissionOf, deps);
}
const local: CallContext = { transport: 'http' };

function refusal(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('the call was allowed');
}

describe('access control', () => {
  it('resolves the signed-in profile as the actor and passes its id to the service', () => {
    const ctx = control('u-editor').authorize('templates', 'save', {}, local);
    expect(ctx.actor).toEqual({ kind: 'profile', userId: 'u-editor', role: 'editor' });
    expect(ctx.userId).toBe('u-editor');
  });

  it('refuses each role what it may not do, naming the role and what the call needs', () => {
    const cases: [string, string, string][] = [
      ['u-reviewer', 'experiments', 'list'],
      ['u-reviewer', 'templates', 'save'],
      ['u-reviewer', 'generation', 'start'],
      ['u-analyst', 'adapters', 'startTraining'],
      ['u-analyst', 'templates', 'setStatus'],
      ['u-analyst', 'users', 'create'],
      ['u-editor', 'users', 'create'],
      ['u-editor', 'users', 'setRole'],
    ];
    for (const [user, service, method] of cases) {
      const error = refusal(() => control(user).authorize(service, method, {}, local));
      expect(error.code, `${user} ${service}.${method}`).toBe('forbidden');
      const role = USERS.find((u) => u.id === user)?.role as string;
      expect(error.message).toContain(`is ${/^[ae]/.test(role) ? 'an' : 'a'} ${role}`);
      expect(error.message).toContain(`${service}.${method} needs`);
    }
    expect(control('u-admin').authorize('users', 'create', {}, local).userId).toBe('u-admin');
    expect(control('u-reviewer').authorize('reviews', 'queue', { roundId: 'r' }, local).userId).toBe('u-reviewer');
  });

  it('asks to sign in when nobody is, but still answers app-level calls and the list of profiles', () => {
    expect(refusal(() => control(undefined).authorize('datasets', 'list', {}, local)).code).toBe('signed-out');
    expect(control(undefined).authorize('users', 'list', {}, local).actor).toEqual({ kind: 'app' });
    expect(control(undefined).authorize('app', 'info', {}, local).actor).toEqual({ kind: 'app' });
    expect(refusal(() => control('u-admin', { open: false }).authorize('users', 'list', {}, local)).code).toBe(
      'no-workspace',
    );
  });

  it("lets a review link reach only its own round's reviewer methods, as its reviewer", () => {
    const link: CallContext = { transport: 'http', reviewerLink: { userId: 'u-reviewer', roundId: 'round-1' } };
    const ctx = control('u-admin').authorize('reviews', 'vote', { roundId: 'round-1' }, link);
    expect(ctx.actor).toEqual({ kind: 'link', userId: 'u-reviewer', roundId: 'round-1' });
    expect(ctx.userId).toBe('u-reviewer'); // not the admin signed in on the desktop
    expect(
      refusal(() => control('u-admin').authorize('reviews', 'vote', { roundId: 'round-2' }, link)).message,
    ).toMatch(/another round/);
    for (const [service, method] of [
      ['reviews', 'results'],
      ['experiments', 'outputs'],
      ['users', 'list'],
      ['app', 'info'],
    ]) {
      expect(
        refusal(() => control('u-admin').authorize(service as string, method as string, { roundId: 'round-1' }, link))
          .code,
      ).toBe('forbidden');
    }
  });

  it('keeps a reviewer of an open round blind: no outputs of its experiment and no generation, whatever their role', () => {
    const reviewing = { 'u-editor': [{ name: 'Blind round', experimentId: 'exp-1' }] };
    const editor = control('u-editor', { reviewing });
    for (const method of ['outputs', 'results', 'example']) {
      const error = refusal(() => editor.authorize('experiments', method, { id: 'exp-1' }, local));
      expect(error.code).toBe('review-blinded');
      expect(error.message).toContain('"Blind round"');
    }
    expect(editor.authorize('experiments', 'outputs', { id: 'exp-2' }, local).userId).toBe('u-editor'); // another experiment
    // Reports can quote outputs and votes of any experiment or round: refused while any round is open to this person.
    for (const method of ['generate', 'get', 'export', 'regenerate'])
      expect(refusal(() => editor.authorize('reports', method, { id: 'r-1' }, local)).code).toBe('review-blinded');
    for (const [service, method] of [
      ['generation', 'start'],
      ['specializations', 'try'],
      ['templates', 'run'],
    ]) {
      expect(refusal(() => editor.authorize(service as string, method as string, {}, local)).code).toBe(
        'review-blinded',
      );
    }
    expect(editor.authorize('experiments', 'list', {}, local).userId).toBe('u-editor');
    // The audit log lists other reviewers' votes: closed to them too; verifying it is not.
    for (const method of ['list', 'export'])
      expect(refusal(() => editor.authorize('audit', method, {}, local)).message).toContain(
        `audit.${method} can show other reviewers' votes and comments`,
      );
    expect(editor.authorize('audit', 'verify', {}, local).userId).toBe('u-editor');
    // Someone else, or the same person once the round is closed, is not held back.
    expect(control('u-analyst', { reviewing }).authorize('experiments', 'outputs', { id: 'exp-1' }, local).userId).toBe(
      'u-analyst',
    );
    expect(control('u-editor').authorize('generation', 'start', {}, local).userId).toBe('u-editor');
  });

  it('refuses a method missing from the table as a bug, not as allowed', () => {
    expect(() => control('u-admin').authorize('users', 'dropEverything', {}, local)).toThrow(
      /no entry in the permission table/,
    );
    expect(() => control('u-admin').authorize('toString', 'call', {}, local)).toThrow(/no entry/);
  });
});
