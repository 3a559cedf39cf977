// A workspace is a folder the user creates or opens: SQLite database + content-addressed blob store inside.
import { z } from 'zod';
import { defineService, method } from './define';
import { userPath } from './paths';

/** A folder path as typed or picked by the user; main resolves and checks it. */
export const FolderPath = userPath('A folder path is required');

export const WorkspaceInfo = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  createdAt: z.string(),
  /** The database schema version after migrations ran at open. */
  schemaVersion: z.number().int(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const RecentWorkspace = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  /** False when the folder has gone since it was last opened. */
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof RecentWorkspace>;

export const WorkspaceName = z.string().trim().min(1, 'A name is required').max(120);

export const workspaceContract = defineService(
  'workspace',
  {
    /** Creates the folder if needed (it must be empty or absent) and opens it. */
    create: method(z.object({ path: FolderPath, name: WorkspaceName }).strict(), WorkspaceInfo),
    open: method(z.object({ path: FolderPath }).strict(), WorkspaceInfo),
    close: method(z.object({}).strict(), z.null()),
    current: method(z.object({}).strict(), WorkspaceInfo.nullable()),
    recent: method(z.object({}).strict(), z.array(RecentWorkspace)),
    forgetRecent: method(z.object({ path: FolderPath }).strict(), z.null()),
  },
  {
    onChanged: WorkspaceInfo.nullable(),
  },
);
