// The users service (usersContract): local profiles in the workspace db, with optional passphrases (scrypt hashes),
// and the profile signed in on this app instance, kept here in main per workspace (by workspace id) and never stored:
// another app instance on the same workspace signs in on its own. On first use a workspace gets an "Owner" admin.
// When this instance has not chosen yet, the oldest profile without a passphrase is signed in (none: nobody is, and
// the app asks). Who may call what is the permission table's job; the rules about passphrases are checked here.
import { randomUUID } from 'node:crypto';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import { PROTECTED_ROLES, User, type UserRole, type usersContract } from '../../../shared/contract/users';
import { BugError, UserError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';
import type { WorkspaceAccess } from '../workspace';
import { FailureThrottle } from '../../platform/throttle';
import { hashPassphrase, verifyPassphrase } from './passphrase';

type Contract = typeof usersContract;

export interface UsersServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export const OWNER_NAME = 'Owner';
export const PASSPHRASE_FREE_GUESSES = 3;

interface UserRow {
  id: string;
  name: string;
  role: string;
  created_at: string;
  passphrase: string | null;
}

const ROLE_WORDS: Record<UserRole, string> = {
  admin: 'Admins',
  editor: 'Editors (who approve templates)',
  analyst: 'Analysts',
  reviewer: 'Reviewers',
};

export class UsersService implements ServiceImpl<Contract> {
  /** workspace id -> the signed-in profile's id (null: signed out) on this app instance. */
  private readonly currentByWorkspace = new Map<string, string | null>();
  /**
   * Wrong passphrases per profile: after three, each further wrong one makes the next try wait 1 s, 2 s, 4 s ... up
   * to 5 minutes.
   */
  private readonly throttle = new FailureThrottle({ freeFailures: PASSPHRASE_FREE_GUESSES, maxDelayMs: 5 * 60_000 });

  constructor(private readonly deps: UsersServiceDeps) {}

  async list(): Promise<User[]> {
    return this.all().map(toUser);
  }

  async create(
    arg: { name: string; role: UserRole; passphrase?: string | undefined },
    ctx?: CallContext,
  ): Promise<User> {
    this.protectedAdmin(ctx, 'add users');
    const db = this.db;
    if (db.prepare('SELECT 1 FROM users WHERE lower(name) = lower(?)').get(arg.name) !== undefined) {
      throw new UserError(`There is already a user named "${arg.name}"`, {
        code: 'user-name',
        where: 'name',
        hint: 'Choose another name.',
      });
    }
    if (PROTECTED_ROLES.includes(arg.role) && arg.passphrase === undefined) {
      throw new UserError(`${ROLE_WORDS[arg.role]} need a passphrase`, {
        code: 'passphrase-required',
        where: 'passphrase',
        hint: 'Give the new profile a passphrase of 8 characters or more.',
      });
    }
    const hash = arg.passphrase === undefined ? null : await hashPassphrase(arg.passphrase);
    const row: UserRow = {
      id: (this.deps.newId ?? randomUUID)(),
      name: arg.name,
      role: arg.role,
      created_at: this.deps.clock().toISOString(),
      passphrase: hash,
    };
    db.prepare('INSERT INTO users (id, name, role, created_at, passphrase) VALUES (?, ?, ?, ?, ?)').run(
      row.id,
      row.name,
      row.role,
      row.created_at,
      row.passphrase,
    );
    return toUser(row);
  }

  async current(): Promise<User | null> {
    const row = this.signedInRow();
    return row ? toUser(row) : null;
  }

  async setCurrent({ id, passphrase }: { id: string; passphrase?: string | undefined }): Promise<User> {
    const row = this.row(id);
    if (row.passphrase !== null) await this.check(row, passphrase, 'passphrase');
    this.currentByWorkspace.set(this.workspaceId, row.id);
    this.deps.events.emit('onChanged', { currentId: row.id });
    return toUser(row);
  }

  async signOut(): Promise<null> {
    this.currentByWorkspace.set(this.workspaceId, null);
    this.deps.events.emit('onChanged', { currentId: null });
    return null;
  }

  async setPassphrase(
    arg: { id: string; current?: string | undefined; next: string },
    ctx?: CallContext,
  ): Promise<User> {
    const caller = this.caller(ctx);
    const target = this.row(arg.id);
    if (caller.id === target.id) {
      if (target.passphrase !== null) await this.check(target, arg.current, 'current');
    } else {
      this.protectedAdmin(ctx, "set another profile's passphrase");
    }
    const hash = await hashPassphrase(arg.next);
    this.db.prepare('UPDATE users SET passphrase = ? WHERE id = ?').run(hash, target.id);
    // Whoever set it stays who they are: the default sign-in must not move because this profile is now protected.
    this.currentByWorkspace.set(this.workspaceId, caller.id);
    this.deps.events.emit('onChanged', { currentId: caller.id });
    return toUser({ ...target, passphrase: hash });
  }

  async setRole(arg: { id: string; role: UserRole }, ctx?: CallContext): Promise<User> {
    this.protectedAdmin(ctx, 'change roles');
    const target = this.row(arg.id);
    if (PROTECTED_ROLES.includes(arg.role) && target.passphrase === null) {
      throw new UserError(`${target.name} has no passphrase; ${ROLE_WORDS[arg.role].toLowerCase()} need one`, {
        code: 'passphrase-required',
        where: 'role',
        hint: `Set a passphrase for ${target.name} first (Users, then Set passphrase).`,
      });
    }
    if (target.role === 'admin' && arg.role !== 'admin' && this.all().filter((u) => u.role === 'admin').length === 1) {
      throw new UserError(`${target.name} is the only admin`, {
        code: 'last-admin',
        where: 'role',
        hint: 'Make another profile an admin first.',
      });
    }
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(arg.role, target.id);
    this.deps.events.emit('onChanged', { currentId: this.signedInRow()?.id ?? null });
    return toUser({ ...target, role: arg.role });
  }

  /** The signed-in profile, for the services that record who did something (synchronous). */
  currentUser(): User {
    const row = this.signedInRow();
    if (!row)
      throw new UserError('Nobody is signed in', { code: 'signed-out', hint: 'Choose your profile in the top bar.' });
    return toUser(row);
  }

  /** The signed-in profile, or undefined (the dispatcher's access check). */
  signedIn(): User | undefined {
    const row = this.signedInRow();
    return row ? toUser(row) : undefined;
  }

  user(id: string): User | undefined {
    const row = this.all().find((u) => u.id === id);
    return row ? toUser(row) : undefined;
  }

  private signedInRow(): UserRow | undefined {
    const users = this.all();
    const workspaceId = this.workspaceId;
    if (!this.currentByWorkspace.has(workspaceId)) {
      this.currentByWorkspace.set(workspaceId, users.find((u) => u.passphrase === null)?.id ?? null);
    }
    const wanted = this.currentByWorkspace.get(workspaceId);
    return wanted === null ? undefined : users.find((u) => u.id === wanted);
  }

  /** Verifies a passphrase, throttling wrong guesses per profile. */
  private async check(row: UserRow, given: string | undefined, field: string): Promise<void> {
    const key = `${this.workspaceId}:${row.id}`;
    const wait = this.throttle.waitMs(key);
    if (wait > 0) {
      throw new UserError(`Too many wrong passphrases for ${row.name}`, {
        code: 'passphrase-throttled',
        where: field,
        hint: `Try again in ${Math.ceil(wait / 1000)} s.`,
      });
    }
    if (given === undefined || given === '') {
      throw new UserError(`${row.name} is protected by a passphrase`, {
        code: 'passphrase-needed',
        where: field,
        hint: 'Type the passphrase of this profile.',
      });
    }
    if (!(await verifyPassphrase(given, row.passphrase ?? ''))) {
      this.throttle.fail(key);
      throw new UserError(`Wrong passphrase for ${row.name}`, {
        code: 'passphrase-wrong',
        where: field,
        hint: 'Check the keyboard layout and Caps Lock.',
      });
    }
    this.throttle.succeeded(key);
  }

  /** The caller, when an admin with a passphrase (admins manage users only from a protected profile). */
  private protectedAdmin(ctx: CallContext | undefined, action: string): UserRow {
    const caller = this.callerRow(ctx);
    if (caller.role !== 'admin')
      throw new UserError(`Only admins can ${action}`, {
        code: 'forbidden',
        hint: 'Switch to an admin profile in the top bar.',
      });
    if (caller.passphrase === null) {
      throw new UserError(`Protect ${caller.name} with a passphrase before you ${action}`, {
        code: 'passphrase-required',
        hint: 'Without one, anyone at this computer could act as this admin. Set it from the user menu.',
      });
    }
    return caller;
  }

  private caller(ctx: CallContext | undefined): User {
    return toUser(this.callerRow(ctx));
  }

  private callerRow(ctx: CallContext | undefined): UserRow {
    if (ctx?.userId !== undefined) return this.row(ctx.userId);
    const row = this.signedInRow();
    if (!row)
      throw new UserError('Nobody is signed in', { code: 'signed-out', hint: 'Choose your profile in the top bar.' });
    return row;
  }

  private row(id: string): UserRow {
    const row = this.all().find((u) => u.id === id);
    if (!row)
      throw new UserError(`No user ${id} in this workspace`, {
        code: 'not-found',
        where: 'id',
        hint: 'Reload the list of users.',
      });
    return row;
  }

  private get workspaceId(): string {
    return this.deps.workspace.active.info.id;
  }

  private get db(): SqlDatabase {
    return this.deps.workspace.active.db;
  }

  /** Every user row, oldest first; creates the Owner admin when the workspace has none yet. */
  private all(): UserRow[] {
    const db = this.db;
    const read = () =>
      db.prepare<UserRow>('SELECT id, name, role, created_at, passphrase FROM users ORDER BY created_at, rowid').all();
    let rows = read();
    if (rows.length === 0) {
      db.transaction(() => {
        if (read().length > 0) return;
        db.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(
          (this.deps.newId ?? randomUUID)(),
          OWNER_NAME,
          'admin',
          this.deps.clock().toISOString(),
        );
      });
      rows = read();
    }
    return rows;
  }
}

function toUser(r: UserRow): User {
  const parsed = User.safeParse({
    id: r.id,
    name: r.name,
    role: r.role,
    protected: r.passphrase !== null,
    createdAt: r.created_at,
  });
  if (!parsed.success) throw new BugError(`user ${r.id} does not match its schema`);
  return parsed.data;
}
