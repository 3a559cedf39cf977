// The workspace service: owns the one open workspace (database + blob store) and the recent list. Other services
// reach the open workspace through `WorkspaceAccess.active`, never by opening files themselves.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { RecentWorkspace, WorkspaceInfo, workspaceContract } from '../../../shared/contract/workspace';
import { UserError } from '../../../shared/errors';
import type { Blobs } from '../../platform/blobs';
import { type Migration, type SqlDatabase, workspaceMigrations } from '../../platform/db';
import { checkPathText, refuseVirtual } from '../../platform/files/user-files';
import { type PathBase, canonicalPath, resolveFolderPath } from './layout';
import { RecentList } from './recent-list';
import { type OpenedFolder, createWorkspaceFolder, openWorkspaceFolder } from './workspace-folder';

type Contract = typeof workspaceContract;

/** What a service that works inside the workspace gets. Fetch it per call: it changes when the user switches. */
export interface ActiveWorkspace {
  readonly info: WorkspaceInfo;
  readonly db: SqlDatabase;
  readonly blobs: Blobs;
}

/** The narrow dependency other services take in their constructors (not the whole WorkspaceService). */
export interface WorkspaceAccess {
  /** The open workspace; throws a UserError (code no-workspace) when none is open. */
  readonly active: ActiveWorkspace;
}

export interface WorkspaceServiceDeps {
  /** Per-user app folder (Electron's app.getPath('userData')); holds the recent list. */
  readonly appDataDir: string;
  readonly clock: () => Date;
  /** Recorded in each new workspace. */
  readonly appVersion: string;
  readonly events: EventSink<Contract>;
  /** For `~` and relative paths; defaults: os.homedir() for both. The CLI passes relativeTo: process.cwd(). */
  readonly paths?: Partial<PathBase>;
  /** Told when the recent list cannot be saved; that never fails an open. Defaults to console.warn. */
  readonly onWarning?: (message: string, error: unknown) => void;
  /** Runs after a workspace folder opened, before it becomes the active one (the datasets' stale spool sweep). */
  readonly onOpened?: (folder: string) => Promise<unknown>;
  /** How long create/open/close may take before the next call goes ahead (default 30 s). */
  readonly timeLimitMs?: number;
  /** Tests only: a different schema, or deterministic ids. */
  readonly migrations?: readonly Migration[];
  readonly newId?: () => string;
}

export class WorkspaceService implements ServiceImpl<Contract>, WorkspaceAccess {
  private opened: OpenedFolder | undefined;
  private readonly recentList: RecentList;
  private readonly pathBase: PathBase;
  /** create/open/close run one at a time: a double click must not leave two databases open. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WorkspaceServiceDeps) {
    this.recentList = new RecentList(deps.appDataDir);
    const home = deps.paths?.homeDir ?? os.homedir();
    this.pathBase = { homeDir: home, relativeTo: deps.paths?.relativeTo ?? home };
  }

  /** Whether a workspace is open (the dispatcher's access check). */
  isOpen(): boolean {
    return this.opened !== undefined;
  }

  get active(): ActiveWorkspace {
    if (!this.opened) {
      throw new UserError('Open a workspace first.', {
        code: 'no-workspace',
        hint: 'Create a workspace or open one from the recent list.',
      });
    }
    return this.opened;
  }

  async create(arg: { path: string; name: string }, _ctx?: CallContext): Promise<WorkspaceInfo> {
    return this.exclusive('Creating the workspace', async (late) => {
      checkPathText(arg.path, 'workspace.create: path');
      const folder = await canonicalPath(resolveFolderPath(arg.path, this.pathBase));
      await refuseVirtual(folder, 'workspace.create: path', 'workspace');
      const opened = await createWorkspaceFolder(folder, {
        id: (this.deps.newId ?? randomUUID)(),
        name: arg.name,
        createdAt: this.deps.clock().toISOString(),
        appVersion: this.deps.appVersion,
        migrations: this.migrations,
      });
      // The folder may have been created just now; its canonical form is known only once it exists.
      const canonical = await canonicalPath(folder);
      const withPath = canonical === folder ? opened : { ...opened, info: { ...opened.info, path: canonical } };
      return this.switchTo(withPath, late);
    });
  }

  async open(arg: { path: string }, _ctx?: CallContext): Promise<WorkspaceInfo> {
    return this.exclusive('Opening the workspace', async (late) => {
      checkPathText(arg.path, 'workspace.open: path');
      const folder = await canonicalPath(resolveFolderPath(arg.path, this.pathBase));
      await refuseVirtual(folder, 'workspace.open: path', 'workspace');
      if (this.opened?.info.path === folder) {
        await this.remember(this.opened.info);
        return this.opened.info;
      }
      return this.switchTo(await openWorkspaceFolder(folder, this.migrations), late);
    });
  }

  async close(_arg?: object, _ctx?: CallContext): Promise<null> {
    return this.exclusive('Closing the workspace', async () => {
      if (!this.opened) return null;
      this.closeCurrent();
      this.deps.events.emit('onChanged', null);
      return null;
    });
  }

  async current(_arg?: object, _ctx?: CallContext): Promise<WorkspaceInfo | null> {
    return this.opened?.info ?? null;
  }

  async recent(_arg?: object, _ctx?: CallContext): Promise<RecentWorkspace[]> {
    return this.recentList.list();
  }

  async forgetRecent(arg: { path: string }, _ctx?: CallContext): Promise<null> {
    const absolute = resolveFolderPath(arg.path, this.pathBase);
    await this.recentList.forget([absolute, await canonicalPath(absolute)]);
    return null;
  }

  /** Closes the open workspace at shutdown (no event: the transports are going away too). */
  async dispose(): Promise<void> {
    await this.exclusive('Closing the workspace', async () => this.closeCurrent());
  }

  private get migrations(): readonly Migration[] {
    return this.deps.migrations ?? workspaceMigrations;
  }

  private async switchTo(next: OpenedFolder, late: () => boolean): Promise<WorkspaceInfo> {
    try {
      await this.deps.onOpened?.(next.info.path);
    } catch (error) {
      this.warn(`Could not tidy the workspace ${next.info.path}`, error);
    }
    // A call that ran past its time limit has been answered with an error already: it must not switch now.
    if (late()) {
      next.db.close();
      throw new UserError('The workspace call ran past its time limit.', { code: 'workspace-timeout' });
    }
    // The new workspace opened fully before the old one closes: a failed open leaves the user where they were.
    this.closeCurrent();
    this.opened = next;
    this.deps.events.emit('onChanged', next.info);
    await this.remember(next.info);
    return next.info;
  }

  private closeCurrent(): void {
    const previous = this.opened;
    this.opened = undefined;
    previous?.db.close();
  }

  private async remember(info: WorkspaceInfo): Promise<void> {
    try {
      await this.recentList.touch({ path: info.path, name: info.name, openedAt: this.deps.clock().toISOString() });
    } catch (error) {
      this.warn(`Could not save the recent workspaces list in ${this.deps.appDataDir}`, error);
    }
  }

  private warn(message: string, error: unknown): void {
    (this.deps.onWarning ?? ((m: string, cause: unknown) => console.warn(m, cause)))(message, error);
  }

  /**
   * Runs `fn` after the calls before it, with a time limit: one that hangs (a file system that never answers) is
   * answered with a UserError when the limit passes and the queue moves on; `late()` then tells it not to switch.
   */
  private exclusive<T>(action: string, fn: (late: () => boolean) => Promise<T>): Promise<T> {
    const limit = this.deps.timeLimitMs ?? 30_000;
    const start = () => {
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(
            new UserError(`${action} took longer than ${Math.round(limit / 1000)} s and was given up.`, {
              code: 'workspace-timeout',
              hint:
                'The folder may be on a disk or network share that does not answer. Choose a folder on a local ' +
                'disk.',
            }),
          );
        }, limit);
      });
      const work = fn(() => timedOut);
      work.catch(() => undefined); // its late failure, after the limit answered, is nobody's
      return Promise.race([work, expired]).finally(() => clearTimeout(timer));
    };
    const run = this.queue.then(start, start);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
