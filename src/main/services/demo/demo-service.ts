// Sets up the demo workspace from what the app bundles, through the same services a user's own actions use
// (workspace.create/open, models.add, datasets.import, templates.save): no special cases for the demo model, datasets
// or templates.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldRole } from '../../../shared/contract/datasets';
import type { CallContext, ServiceImpl } from '../../../shared/contract/define';
import type { demoContract, DemoWorkspace } from '../../../shared/contract/demo';
import type { NamedRecipe } from '../../../shared/recipe';
import { UserError } from '../../../shared/errors';
import { findBundledDatasetsDir } from '../adapters/training-data';
import type { DatasetsService } from '../datasets';
import type { ModelsService } from '../models';
import type { TemplatesService } from '../templates';
import type { WorkspaceService } from '../workspace';
import { bundledRecipes } from './recipes';

export const DEMO_WORKSPACE_NAME = 'Dovetail demo';
/** The marker every workspace folder has (see services/workspace/layout.ts). */
const WORKSPACE_MARKER = 'dovetail-workspace.json';

/** The bundled datasets (resources/datasets/<folder>) and their roles, from each folder's README.md data card. */
export const DEMO_DATASETS: readonly { folder: string; name: string; roles: Readonly<Record<string, FieldRole>> }[] = [
  // The reference is `ticket` (category and priority as JSON), the framing the demo recipe trains on; `output` adds a
  // free-text summary, kept as a plain field (decision 0019).
  {
    folder: 'support-triage',
    name: 'Support triage',
    roles: { id: 'key', message: 'input', ticket: 'reference', category: 'label' },
  },
  {
    folder: 'wordnet-supersense',
    name: 'WordNet supersense',
    roles: { id: 'key', word: 'input', pos: 'input', definition: 'input', output: 'reference' },
  },
];

/** The demo prompt templates (saved once, by name): the triage one is what `npm run demo` trains and serves with. */
export const DEMO_TEMPLATES: readonly { name: string; source: string; message: string }[] = [
  {
    name: 'Triage as JSON',
    source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    message: 'Bundled demo template for Support triage',
  },
  {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense: ',
    message: 'Bundled demo template for WordNet supersense',
  },
];

export interface DemoServiceDeps {
  readonly workspace: Pick<WorkspaceService, 'create' | 'open'>;
  readonly models: Pick<ModelsService, 'bundled' | 'add'>;
  readonly datasets: Pick<DatasetsService, 'inspectFile' | 'import' | 'latestVersionByName'>;
  readonly templates: Pick<TemplatesService, 'list' | 'save'>;
  /** Parent folder of the default demo workspace. */
  readonly defaultParent: string;
  /** resources/datasets; found next to the running code when not given (null: none bundled). */
  readonly bundledDatasetsDir?: string | null;
}

export class DemoService implements ServiceImpl<typeof demoContract> {
  private readonly datasetsDir: string | null;

  constructor(private readonly deps: DemoServiceDeps) {
    this.datasetsDir = deps.bundledDatasetsDir === undefined ? findBundledDatasetsDir() : deps.bundledDatasetsDir;
  }

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
    for (const model of bundled)
      modelIds.push(model.modelId ?? (await this.deps.models.add({ folder: model.folder, name: model.name })).id);
    await this.importDemoDatasets();
    const templates = new Set((await this.deps.templates.list()).map((t) => t.name));
    for (const t of DEMO_TEMPLATES)
      if (!templates.has(t.name))
        await this.deps.templates.save({
          name: t.name,
          source: t.source,
          system: null,
          chat: false,
          message: t.message,
        });
    return { workspace, reopened, modelIds };
  }

  async recipes(): Promise<NamedRecipe[]> {
    return bundledRecipes(DEMO_DATASETS);
  }

  /** Imports each bundled dataset the workspace does not have yet (by name), with the splits its files give. */
  private async importDemoDatasets(): Promise<void> {
    if (this.datasetsDir === null) return;
    for (const dataset of DEMO_DATASETS) {
      if (this.deps.datasets.latestVersionByName(dataset.name) !== null) continue;
      const folder = join(this.datasetsDir, dataset.folder);
      if (!existsSync(folder)) continue;
      const file = (split: 'train' | 'validation' | 'test') => ({ path: join(folder, `${split}.jsonl`), split });
      const { columns } = await this.deps.datasets.inspectFile({ path: file('train').path });
      await this.deps.datasets.import({
        newName: dataset.name,
        message: `Bundled demo data (${dataset.folder}; see its README.md)`,
        files: [file('train'), file('validation'), file('test')],
        mapping: columns.map((c) => ({ source: c.name, name: c.name, role: dataset.roles[c.name] ?? 'none' })),
        split: { kind: 'given' },
      });
    }
  }
}
