// First run: one click gives a new user a workspace with the bundled demo model registered (and, as those
// features land, the demo datasets and prompt templates), so Dovetail does real work at once.
import { z } from 'zod';
import { NamedRecipe } from '../recipe';
import { defineService, method } from './define';
import { FolderPath, WorkspaceInfo } from './workspace';

export const DemoWorkspace = z.object({
  workspace: WorkspaceInfo,
  /** True when the folder already held the demo workspace and was reopened. */
  reopened: z.boolean(),
  /** Ids of the registered bundled models. */
  modelIds: z.array(z.string()),
});
export type DemoWorkspace = z.infer<typeof DemoWorkspace>;

export const demoContract = defineService('demo', {
  /** Creates (or reopens) the demo workspace, by default "Dovetail demo" under the default workspace folder. */
  openDemoWorkspace: method(z.object({ path: FolderPath.optional() }).strict(), DemoWorkspace),
  /** The bundled datasets' recipes (training settings that work on them, and their metrics), by dataset name. */
  recipes: method(z.object({}).strict(), z.array(NamedRecipe)),
});
