// The users service (usersContract): local profiles in the workspace db, and the current user of this app instance,
// kept here in main per workspace (by workspace id) and never stored: another app instance on the same workspace has
// its own. On first use a workspace gets an "Owner" admin profile, who is the current user until another is chosen.
import { randomUUID } from 'node:crypto';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import { User, type UserRole, type usersContract } from '../../../shared/contract/users';
import { BugError, UserError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';
import type { WorkspaceAccess } from '../workspace';

type Contract = typeof usersContract;

export interface UsersServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export const OWNER_NAME = 'Owner';

interface UserRow { id: string; name: string; role: string; created_at: string }

export class UsersService implements ServiceImpl<Contract> {
  /** workspace id -> current user id, for this app instance. */
  private readonly currentByWorkspace = new Map<string, string>();

  constructor(private readonly deps: UsersServiceDeps) {}

  async list(): Promise<User[]> {
    return this.all();
  }

  async create(arg: { name: string; role: UserRole }): Promise<User> {
    const db = this.db;
    this.all(); // the Owner comes first
    if (db.prepare('SELECT 1 FROM users WHERE lower(name) = lower(?)').get(arg.name) !== undefined) {
      throw new UserError(`There is already a user named "${arg.name}"`, { code: 'user-name', where: 'name', hint: 'Choose another name.' });
    }
    const user: User = { id: (this.deps.newId ?? randomUUID)(), name: arg.name, role: arg.role, createdAt: this.deps.clock().toISOString() };
    db.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, user.role, user.createdAt);
    return user;
  }

  async current(): Promise<User> {
    return this.currentUser();
  }

  async setCurrent({ id }: { id: string }): Promise<User> {
    const user = this.all().find((u) => u.id === id);
    if (!user) throw new UserError(`No user ${id} in this workspace`, { code: 'not-found', where: 'id', hint: 'Reload the list of users.' });
    this.currentByWorkspace.set(this.deps.workspace.active.info.id, user.id);
    this.deps.events.emit('onChanged', { currentId: user.id });
    return user;
  }

  /** For the services that record who did something (synchronous: called inside their transactions' callers). */
  currentUser(): User {
    const users = this.all();
    const wanted = this.currentByWorkspace.get(this.deps.workspace.active.info.id);
    const user = users.find((u) => u.id === wanted) ?? users[0];
    if (!user) throw new BugError('a workspace without users after the Owner was created');
    return user;
  }

  user(id: string): User | undefined {
    return this.all().find((u) => u.id === id);
  }

  private get db(): SqlDatabase {
    return this.deps.workspace.active.db;
  }

  /** Every user, oldest first; creates the Owner admin when the workspace has none yet. */
  private all(): User[] {
    const db = this.db;
    const read = () => db.prepare<UserRow>('SELECT id, name, role, created_at FROM users ORDER BY created_at, rowid').all();
    let rows = read();
    if (rows.length === 0) {
      db.transaction(() => {
        if (read().length > 0) return;
        db.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)').run((this.deps.newId ?? randomUUID)(), OWNER_NAME, 'admin', this.deps.clock().toISOString());
      });
      rows = read();
    }
    return rows.map((r) => {
      const parsed = User.safeParse({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at });
      if (!parsed.success) throw new BugError(`user ${r.id} does not match its schema`);
      return parsed.data;
    });
  }
}
