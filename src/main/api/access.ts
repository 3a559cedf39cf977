// The dispatcher's access check: resolves who is behind a call (the actor) and refuses it unless the method's entry in
// the permission table lets that actor in. Also keeps reviewers blind: while a person reviews an open round, calls
// that could show which system wrote one of its outputs are refused to them here, whatever the caller's screen shows.
import type { Actor, CallContext } from '../../shared/contract/define';
import { PERMISSIONS, type Permission, type Reveals } from '../../shared/contract/permissions';
import type { UserRole } from '../../shared/contract/users';
import { BugError, UserError } from '../../shared/errors';

export interface AccessDeps {
  /** Whether a workspace is open (profiles live in workspaces). */
  workspaceOpen(): boolean;
  /** The profile signed in on this app instance (undefined: nobody). */
  signedIn(): { id: string; name: string; role: UserRole } | undefined;
  /** A profile by id (a share link's reviewer). */
  user(id: string): { id: string; name: string; role: UserRole } | undefined;
  /** The open rounds this profile reviews in. */
  openReviews(userId: string): readonly { name: string; experimentId: string }[];
}

export type PermissionLookup = (service: string, method: string) => Permission | undefined;

/** The app's table as a lookup that sees only its own entries (never Object.prototype's). */
export const permissionOf: PermissionLookup = (service, method) => {
  const table = PERMISSIONS as unknown as Record<string, Record<string, Permission>>;
  const methods = Object.hasOwn(table, service) ? table[service] : undefined;
  return methods && Object.hasOwn(methods, method) ? methods[method] : undefined;
};

const ROLE_NAMES: Record<UserRole, string> = {
  editor: 'an editor',
  reviewer: 'a reviewer',
  analyst: 'an analyst',
  admin: 'an admin',
};

export class AccessControl {
  constructor(
    private readonly permissions: PermissionLookup,
    private readonly deps: AccessDeps,
  ) {}

  /** The call's context with its actor, or a UserError saying why this actor may not make this call. */
  authorize(service: string, method: string, arg: unknown, ctx: CallContext): CallContext {
    const permission = this.permissions(service, method);
    if (!permission) throw new BugError(`${service}.${method} has no entry in the permission table`);
    const actor = this.actor(ctx);
    const name = `${service}.${method}`;
    if (actor.kind === 'link') {
      if (permission.access.who !== 'reviewer')
        throw forbidden(`A review link reaches only the review queue, not ${name}`);
      const roundId = (arg as { roundId?: unknown } | null)?.roundId;
      if (roundId !== actor.roundId) throw forbidden('This review link is for another round');
    }
    const access = permission.access;
    if (access.who !== 'app' && !this.deps.workspaceOpen()) {
      throw new UserError('Open a workspace first', {
        code: 'no-workspace',
        hint: 'Create or open a workspace on the start page.',
      });
    }
    if ((access.who === 'roles' || access.who === 'reviewer') && actor.kind === 'app') {
      throw new UserError('Nobody is signed in', {
        code: 'signed-out',
        hint: 'Choose your profile in the top bar (a protected one asks for its passphrase).',
      });
    }
    if (access.who === 'roles' && actor.kind === 'profile' && !access.roles.includes(actor.role)) {
      const user = this.deps.user(actor.userId);
      const allowed = access.roles.map((r) => ROLE_NAMES[r]).join(' or ');
      throw forbidden(
        `${user?.name ?? 'This profile'} is ${ROLE_NAMES[actor.role]}: ${name} needs ${allowed}`,
        'Switch to a profile with that role in the top bar, or ask an admin.',
      );
    }
    if (permission.reveals !== undefined && actor.kind !== 'app')
      this.keepBlind(permission.reveals, arg, actor.userId, name);
    return { ...ctx, actor, ...(actor.kind === 'app' ? {} : { userId: actor.userId }) };
  }

  private actor(ctx: CallContext): Actor {
    if (ctx.reviewerLink) {
      const user = this.deps.workspaceOpen() ? this.deps.user(ctx.reviewerLink.userId) : undefined;
      if (!user) throw forbidden('This review link no longer names a reviewer of an open workspace');
      return { kind: 'link', userId: user.id, roundId: ctx.reviewerLink.roundId };
    }
    const user = this.deps.workspaceOpen() ? this.deps.signedIn() : undefined;
    return user ? { kind: 'profile', userId: user.id, role: user.role } : { kind: 'app' };
  }

  private keepBlind(reveals: Reveals, arg: unknown, userId: string, name: string): void {
    const rounds = this.deps.openReviews(userId);
    const experimentId = (arg as { id?: unknown } | null)?.id;
    const round = reveals === 'experiment' ? rounds.find((r) => r.experimentId === experimentId) : rounds[0];
    if (!round) return;
    const why = {
      generation: `generating text (${name}) could tell you which system wrote an output`,
      experiment: `this experiment's outputs and scores (${name}) could tell you which system wrote an output`,
      votes: `${name} can show other reviewers' votes and comments`,
    }[reveals];
    throw new UserError(`You are reviewing "${round.name}" blind: ${why}, so it is refused until the round is closed`, {
      code: 'review-blinded',
      hint: 'Finish your queue; the organiser closes the round, and then everything is open again.',
    });
  }
}

function forbidden(message: string, hint?: string): UserError {
  return new UserError(message, { code: 'forbidden', ...(hint ? { hint } : {}) });
}
