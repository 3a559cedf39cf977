// Sets up the demo workspace from what the app bundles, through the same services a user's own actions use
// (workspace.create/open, models.add): no special cases for the demo model.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CallContext, ServiceImpl } from '../../../shared/contract/define';
import type { demoContract, DemoWorkspace } from '../../../shared/contract/demo';
import { UserError } from '../../../shared/errors';
import type { ModelsService } from '../models';
import type { WorkspaceService } from '../workspace';

export const DEMO_WORKSPACE_NAME = 'Dovetail demo';
/** The marker every workspace folder has (see services/workspace/layout.ts). */
const WORKSPACE_MARKER = 'dovetail-workspace.json';

export interface DemoServiceDeps {
  readonly workspace: Pick<WorkspaceService, 'create' | 'open'>;
  readonly models: Pick<ModelsService, 'bundled' | 'add'>;
  /** Parent folder of the default demo workspace. */
  readonly defaultParent: string;
}

export class DemoService implements ServiceImpl<typeof demoContract> {
  constructor(private readonly deps: DemoServiceDeps) {}

  async openDemoWorkspace(arg: { path?: string | undefined }, ctx: CallContext): Promise<DemoWorkspace> {
    const path = arg.path ?? join(this.deps.defaultParent, DEMO_WORKSPACE_NAME);
    const reopened = existsSync(join(path, WORKSPACE_MARKER));
    const workspace = reopened
      ? await this.deps.workspace.open({ path }, ctx)
      : await this.deps.workspace.create({ path, name: DEMO_WORKSPACE_NAME }, ctx);
    const bundled = await this.deps.models.bundled();
    if (bundled.length === 0) {
      throw new UserError('This installation has no bundled demo model', {
        code: 'demo-missing',
        hint: 'Reinstall Dovetail, or add a model of your own in the Models section.',
      });
    }
    const modelIds: string[] = [];
    for (const model of bundled) modelIds.push(model.modelId ?? (await this.deps.models.add({ folder: model.folder, name: model.name })).id);
    return { workspace, reopened, modelIds };
  }
}
