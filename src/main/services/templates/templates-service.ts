// The templates service (templatesContract): immutable template and demonstration-set versions with their authors and
// review workflow, previews of a row (with its token count) and live runs of it, the checks before approval,
// demonstration analytics, and, for the services that render prompts (specializations, experiments), compiled templates
// and demonstration rows resolved from their ids.
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { ModelRecord } from '../../../shared/contract/models';
import type {
  DemonstrationAnalytics,
  DemonstrationSelection,
  DemonstrationSetVersion,
  RenderedPrompt,
  TemplateCheckReport,
  TemplateStatus,
  TemplateVersion,
  templatesContract,
} from '../../../shared/contract/templates';
import type { User } from '../../../shared/contract/users';
import type { MetricSpec } from '../../../shared/metrics';
import { BugError, UserError } from '../../../shared/errors';
import type { AdapterFolderRef } from '../../engine/generation-protocol';
import type { EngineClient } from '../../engine/client';
import type { GenerationService } from '../generation';
import type { WorkspaceAccess } from '../workspace';
import { demonstrationAnalytics } from './analytics';
import { countPromptTokens, generationPrompt, runChecks } from './checks';
import type { DatasetReader } from './dataset-reader';
import { selectDemonstrations } from './demonstrations';
import {
  compile,
  compileTemplate,
  hashTemplate,
  renderRow,
  renderRows,
  templateFields,
  type CompiledTemplate,
  type RenderedRow,
  type RowOutcome,
  type RowRoles,
  type RowToRender,
  type TemplateLike,
  type TemplateRenderer,
} from './render';
import { TemplateStore } from './template-store';
import { checkMove } from './workflow';

type Contract = typeof templatesContract;

export interface TemplatesServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly datasets: DatasetReader;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
  /** Where every template is rendered: the render worker's host (off the main thread, stoppable). */
  readonly renderer: TemplateRenderer;
  /** Who saves and who moves versions through the workflow (absent in tests of other services: no author). */
  readonly users?: { currentUser(): User };
  /** For the checks and analytics, which measure and generate with a model (absent: those methods are refused). */
  readonly engine?: EngineClient;
  readonly models?: { usableModel(id: string): Promise<ModelRecord> };
  /** For live runs of a previewed row (absent: run is refused). */
  readonly generation?: Pick<GenerationService, 'launch'>;
  readonly adapters?: { record(id: string): AdapterRecord };
}

interface PreviewArg {
  versionId?: string | undefined;
  source?: string | undefined;
  system?: string | null | undefined;
  chat?: boolean | undefined;
  datasetVersionId: string;
  rowIdx: number;
  demonstrationSetVersionId: string | null;
  modelId?: string | undefined;
}

/** Live runs decode greedily: the same row gives the same answer, so an edit's effect is what changes. */
const RUN_DECODING = { do_sample: false } as const;

export class TemplatesService implements ServiceImpl<Contract> {
  constructor(private readonly deps: TemplatesServiceDeps) {}

  private get store(): TemplateStore {
    return new TemplateStore(this.deps.workspace.active.db);
  }

  async list() {
    return this.store.summaries();
  }

  async versions({ templateId }: { templateId: string }) {
    return this.store.versions(templateId);
  }

  async version({ id }: { id: string }): Promise<TemplateVersion> {
    return this.templateVersion(id);
  }

  async save(arg: {
    templateId?: string | undefined;
    name?: string | undefined;
    source: string;
    system: string | null;
    chat: boolean;
    message: string;
  }): Promise<TemplateVersion> {
    const store = this.store;
    if (arg.templateId === undefined && arg.name === undefined)
      throw new UserError('Name the new template', { code: 'template-name', where: 'name' });
    if (arg.templateId !== undefined && !store.templateExists(arg.templateId))
      throw notFound('template', arg.templateId);
    const like: TemplateLike = { source: arg.source, system: arg.system, chat: arg.chat };
    const fields = templateFields(compileTemplate(arg.source, 'source'));
    const templateId = arg.templateId ?? this.newId();
    const id = this.newId();
    const author = this.deps.users?.currentUser().id ?? null;
    const draft = {
      id,
      templateId,
      ...like,
      message: arg.message,
      fields,
      contentHash: hashTemplate(like),
      author,
      createdAt: this.deps.clock().toISOString(),
    };
    store.addVersion(draft, arg.templateId === undefined ? (arg.name ?? '') : null);
    this.deps.events.emit('onChanged', { kind: 'template', id: templateId });
    return this.templateVersion(id);
  }

  async preview(arg: PreviewArg): Promise<RenderedPrompt> {
    const { rendered, reference } = await this.renderPreview(arg);
    if (arg.modelId === undefined) return { ...rendered, reference };
    const { engine, model } = await this.generator(arg.modelId);
    const tokens = await countPromptTokens(engine, model, rendered);
    return { ...rendered, reference, tokens, contextLength: model.contextLength };
  }

  async run(
    arg: PreviewArg & { modelId: string; adapterId: string | null; maxNewTokens: number },
  ): Promise<{ runId: string; prompt: string }> {
    if (!this.deps.generation) throw new BugError('templates: runs need the generation service');
    const { rendered } = await this.renderPreview(arg);
    const { model } = await this.generator(arg.modelId);
    const folders = arg.adapterId === null ? [] : [this.adapterFolder(arg.adapterId, model)];
    const { runId } = await this.deps.generation.launch(
      model,
      [generationPrompt(rendered)],
      { ...RUN_DECODING, max_new_tokens: arg.maxNewTokens },
      folders,
    );
    return { runId, prompt: rendered.text };
  }

  /** The adapter's folder with the parts it has (as specializations resolve them), checked against the model. */
  private adapterFolder(adapterId: string, model: ModelRecord): AdapterFolderRef {
    if (!this.deps.adapters) throw new BugError('templates: runs with an adapter need the adapters service');
    const a = this.deps.adapters.record(adapterId);
    if (a.modelId !== model.id) {
      throw new UserError(`The adapter "${a.name}" was made for another base model than "${model.name}"`, {
        code: 'spec-adapter-model',
        where: 'adapterId',
        hint: 'Choose an adapter trained on this model.',
      });
    }
    return {
      folder: a.folder,
      lora: a.method !== 'soft-prompt',
      softPrompt: a.method !== 'lora',
      baseContentHash: model.contentHash,
    };
  }

  private async renderPreview(arg: PreviewArg): Promise<{ rendered: RenderedRow; reference: string | null }> {
    const facts = this.deps.datasets.versionFacts(arg.datasetVersionId);
    const [row] = this.deps.datasets.readRows(arg.datasetVersionId, null, { offset: arg.rowIdx, limit: 1 });
    if (!row)
      throw new UserError(`The dataset has no row ${arg.rowIdx + 1}`, { code: 'template-row', where: 'rowIdx' });
    let compiled: CompiledTemplate | null = null;
    if (arg.versionId !== undefined) compiled = this.compiled(arg.versionId);
    else if (arg.source !== undefined)
      compiled = compile({ source: arg.source, system: arg.system ?? null, chat: arg.chat ?? false }, 'source');
    const examples =
      arg.demonstrationSetVersionId === null ? [] : this.demonstrationRows(arg.demonstrationSetVersionId, row.data);
    const rendered = await renderRow(
      this.deps.renderer,
      compiled,
      row.data,
      facts.roles,
      examples,
      `row ${arg.rowIdx + 1}`,
    );
    const ref = facts.roles.reference === null ? null : row.data[facts.roles.reference];
    return {
      rendered,
      reference: typeof ref === 'string' ? ref : ref === undefined || ref === null ? null : JSON.stringify(ref),
    };
  }

  async demonstrationSets() {
    return this.store.demonstrationSets();
  }

  async saveDemonstrations(arg: {
    setId?: string | undefined;
    name?: string | undefined;
    datasetVersionId: string;
    rowKeys: string[];
    selection: DemonstrationSelection;
    message: string;
  }): Promise<DemonstrationSetVersion> {
    const store = this.store;
    if (arg.setId === undefined && arg.name === undefined)
      throw new UserError('Name the new demonstration set', { code: 'demos-name', where: 'name' });
    if (arg.setId !== undefined && !store.demonstrationSetExists(arg.setId))
      throw notFound('demonstration set', arg.setId);
    const known = new Map(this.deps.datasets.readRows(arg.datasetVersionId, 'train').map((r) => [r.key, r.data]));
    const missing = arg.rowKeys.filter((k) => !known.has(k));
    if (missing.length > 0) {
      throw new UserError(
        `${missing.length} chosen examples are not rows of the dataset's training split: ${missing.slice(0, 5).join(', ')}`,
        {
          code: 'demos-rows',
          where: 'rowKeys',
          hint: 'Demonstrations come from the training split, so that they never overlap the test rows.',
        },
      );
    }
    const setId = arg.setId ?? this.newId();
    const id = this.newId();
    // By content: the rows shown (key and fields), which field is the reference, and how they are picked, so the same
    // set in another workspace (a release bundle's import) has the same hash. Versions saved before keep the hash
    // they were stored with ('demos/1' and '/2' named the dataset version by id).
    const reference = this.deps.datasets.versionFacts(arg.datasetVersionId).roles.reference;
    const hashed = ['demos/3', reference, arg.rowKeys.map((k) => [k, known.get(k)]), arg.selection];
    const contentHash = createHash('sha256')
      .update(canonicalize(hashed) ?? '')
      .digest('hex');
    store.addDemonstrationSet(
      {
        id,
        setId,
        datasetVersionId: arg.datasetVersionId,
        rowKeys: arg.rowKeys,
        selection: arg.selection,
        message: arg.message,
        contentHash,
        createdAt: this.deps.clock().toISOString(),
      },
      arg.setId === undefined ? (arg.name ?? '') : null,
    );
    this.deps.events.emit('onChanged', { kind: 'demonstrations', id: setId });
    const saved = store.demonstrationSet(id);
    if (!saved) throw notFound('demonstration set version', id);
    return saved;
  }

  async setStatus(arg: { versionId: string; status: TemplateStatus; note: string }): Promise<TemplateVersion> {
    const store = this.store;
    const version = this.templateVersion(arg.versionId);
    const actor = this.actor();
    checkMove(version, arg.status, actor, arg.status === 'approved' ? store.lastCheckReport(version.id) : null);
    store.changeStatus(version.id, version.status, arg.status, actor.id, arg.note, this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { kind: 'template', id: version.templateId });
    return this.templateVersion(version.id);
  }

  async checks(arg: {
    versionId: string;
    datasetVersionId: string;
    modelId: string;
    demonstrationSetVersionId: string | null;
  }): Promise<TemplateCheckReport> {
    const version = this.templateVersion(arg.versionId);
    const { engine, model } = await this.generator(arg.modelId);
    const setId = arg.demonstrationSetVersionId;
    const report = await runChecks(
      {
        reportId: this.newId(),
        versionId: version.id,
        compiled: this.compiled(version.id),
        datasetVersionId: arg.datasetVersionId,
        demonstrationSetVersionId: setId,
        examplesFor: (row) => (setId === null ? [] : this.demonstrationRows(setId, row)),
        model,
        now: this.deps.clock().toISOString(),
      },
      { datasets: this.deps.datasets, engine, renderer: this.deps.renderer },
    );
    this.store.addCheckReport(report);
    this.deps.events.emit('onChanged', { kind: 'template', id: version.templateId });
    return report;
  }

  async lastChecks({ versionId }: { versionId: string }): Promise<TemplateCheckReport | null> {
    this.templateVersion(versionId);
    return this.store.lastCheckReport(versionId);
  }

  async demonstrationAnalytics(arg: {
    templateVersionId: string;
    demonstrationSetVersionId: string;
    modelId: string;
    sample: number;
    metric: MetricSpec;
  }): Promise<DemonstrationAnalytics> {
    const set = this.demonstrationSetVersion(arg.demonstrationSetVersionId);
    const { engine, model } = await this.generator(arg.modelId);
    return demonstrationAnalytics(
      {
        compiled: this.compiled(arg.templateVersionId),
        set,
        model,
        sample: arg.sample,
        metric: arg.metric,
        examplesFor: (row) => this.demonstrationPicks(set, row),
      },
      { datasets: this.deps.datasets, engine, renderer: this.deps.renderer },
    );
  }

  private actor(): User {
    if (!this.deps.users) throw new BugError('templates: the workflow needs the users service');
    return this.deps.users.currentUser();
  }

  private async generator(modelId: string): Promise<{ engine: EngineClient; model: ModelRecord }> {
    if (!this.deps.engine || !this.deps.models)
      throw new BugError('templates: checks, token counts and runs need the engine and the model registry');
    return { engine: this.deps.engine, model: await this.deps.models.usableModel(modelId) };
  }

  // For the services that render prompts.

  templateVersion(id: string): TemplateVersion {
    const v = this.store.version(id);
    if (!v) throw notFound('template version', id);
    return v;
  }

  demonstrationSetVersion(id: string): DemonstrationSetVersion {
    const v = this.store.demonstrationSet(id);
    if (!v) throw notFound('demonstration set version', id);
    return v;
  }

  compiled(versionId: string): CompiledTemplate {
    const v = this.templateVersion(versionId);
    return compile({ source: v.source, system: v.system, chat: v.chat }, `template ${v.name} v${v.version}`);
  }

  /** Renders rows in the render worker (batched; see render.ts renderRows): the way other services render prompts. */
  render(
    compiled: CompiledTemplate | null,
    roles: RowRoles,
    items: readonly RowToRender[],
    options: { stopOnError?: boolean; signal?: AbortSignal } = {},
  ): Promise<RowOutcome[]> {
    return renderRows(this.deps.renderer, compiled, roles, items, options);
  }

  /**
   * The demonstration rows an input gets from a set version (their data, reference included), its selection applied.
   * Without `input`, a `similar` set gives its first k rows (callers that render per row should pass the row).
   */
  demonstrationRows(setVersionId: string, input: Record<string, unknown> | null = null): Record<string, unknown>[] {
    return this.demonstrationPicks(this.demonstrationSetVersion(setVersionId), input).map((p) => p.data);
  }

  private demonstrationPicks(
    set: DemonstrationSetVersion,
    input: Record<string, unknown> | null,
  ): { key: string; data: Record<string, unknown> }[] {
    const byKey = new Map(this.deps.datasets.readRows(set.datasetVersionId, 'train').map((r) => [r.key, r.data]));
    const pool = set.rowKeys.map((key) => {
      const data = byKey.get(key);
      if (!data)
        throw new UserError(`Demonstration ${key} of ${set.name} v${set.version} is no longer in its dataset`, {
          code: 'demos-rows',
          where: set.id,
        });
      return { key, data };
    });
    return selectDemonstrations(
      set.selection,
      pool,
      input,
      this.deps.datasets.versionFacts(set.datasetVersionId).roles.input,
    );
  }

  private newId(): string {
    return (this.deps.newId ?? randomUUID)();
  }
}

function notFound(what: string, id: string): UserError {
  return new UserError(`No ${what} ${id} in this workspace`, {
    code: 'not-found',
    where: id,
    hint: 'It may have been removed; reload the list.',
  });
}
