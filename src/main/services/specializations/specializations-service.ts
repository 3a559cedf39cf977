// The specializations service (specializationsContract): content-hashed bundles of a model and its optional parts,
// checked when created (each adapter made for this model and giving the part it is used for), and a live run of
// one input, of a saved bundle or of parts picked in the Playground, for the live compare and the Playground.
import { createHash, randomUUID } from 'node:crypto';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { ModelRecord } from '../../../shared/contract/models';
import {
  COMPONENTS,
  type Component,
  type Specialization,
  type SpecializationParts,
  type specializationsContract,
} from '../../../shared/contract/specializations';
import { canonicalDecodingSettings, type DecodingOverrides } from '../../../shared/decoding-settings';
import { UserError } from '../../../shared/errors';
import type { GenerationService } from '../generation';
import type { TemplatesService } from '../templates';
import type { WorkspaceAccess } from '../workspace';
import type { LineageObject } from '../../../shared/lineage';
import { specializationObjects } from '../lineage/specialization-lineage';
import { promptFor, resolveSpecialization, type ResolvedSpecialization } from './resolve';
import { SpecializationStore } from './specialization-store';
import { templateSkewWarnings } from './template-skew';

type Contract = typeof specializationsContract;

export interface SpecializationsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly models: { get(arg: { id: string }): Promise<ModelRecord> };
  readonly adapters: {
    record(id: string): AdapterRecord;
    contentHash(id: string): Promise<string>;
    /** The template version a trained adapter was trained with (for the train/serve skew warning). */
    trainedOn?(id: string): { templateVersionId: string | null } | null;
  };
  readonly templates: Pick<
    TemplatesService,
    'compiled' | 'demonstrationRows' | 'templateVersion' | 'demonstrationSetVersion' | 'render'
  >;
  readonly generation: Pick<GenerationService, 'launch' | 'usableModel'>;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export class SpecializationsService implements ServiceImpl<Contract> {
  constructor(private readonly deps: SpecializationsServiceDeps) {}

  private get store(): SpecializationStore {
    return new SpecializationStore(this.deps.workspace.active.db);
  }

  async list(): Promise<Specialization[]> {
    return this.store.all();
  }

  async get({ id }: { id: string }): Promise<Specialization> {
    return this.specialization(id);
  }

  async create(arg: SpecializationParts & { name: string }): Promise<Specialization & { warnings: string[] }> {
    const spec = await this.createDerived(arg, null);
    const adapters = this.deps.adapters;
    const warnings = templateSkewWarnings(spec, {
      adapterName: (id) => adapters.record(id).name,
      trainedWith: (id) => adapters.trainedOn?.(id)?.templateVersionId ?? null,
      templateVersion: (id) => this.deps.templates.templateVersion(id),
    });
    return { ...spec, warnings };
  }

  /** Stores a bundle (or finds the stored one with the same hash); `derivedFrom` marks an ablation's cells. */
  async createDerived(
    arg: SpecializationParts & { name: string },
    derivedFrom: string | null,
  ): Promise<Specialization> {
    const { name, ...parts } = arg;
    const { hash, legacy } = await this.hash(parts);
    const store = this.store;
    // A bundle stored before adapters were keyed by content has the id-keyed hash (ids name immutable folders).
    const existing = store.byHash(hash) ?? (legacy === hash ? undefined : store.byHash(legacy));
    if (existing && existing.derivedFrom !== null && derivedFrom === null) {
      // The bundle exists only as an ablation's cell: created by name now, it becomes a specialization of its own.
      store.promote(existing.id, name);
      this.deps.events.emit('onChanged', { id: existing.id });
      return { ...existing, name, derivedFrom: null };
    }
    if (existing) return existing;
    const spec: Specialization = {
      ...parts,
      id: (this.deps.newId ?? randomUUID)(),
      name,
      hash,
      components: componentsOf(parts),
      derivedFrom,
      createdAt: this.deps.clock().toISOString(),
    };
    store.insert(spec);
    this.deps.events.emit('onChanged', { id: spec.id });
    return spec;
  }

  async try(arg: {
    specializationId: string;
    fields: Record<string, string>;
    decoding?: DecodingOverrides | undefined;
  }): Promise<{ runId: string; prompt: string }> {
    const resolved = await this.resolve(arg.specializationId);
    return this.launchTry(resolved, arg.fields, arg.decoding ?? resolved.decoding);
  }

  /** Runs unsaved parts: checked and hashed as `create` does (adapters of this model, giving their part, active). */
  async tryParts(arg: {
    parts: SpecializationParts;
    fields: Record<string, string>;
  }): Promise<{ runId: string; prompt: string }> {
    const { hash } = await this.hash(arg.parts);
    const spec: Specialization = {
      ...arg.parts,
      id: `unsaved-${hash.slice(0, 16)}`,
      name: 'Unsaved',
      hash,
      components: componentsOf(arg.parts),
      derivedFrom: null,
      createdAt: this.deps.clock().toISOString(),
    };
    const resolved = await resolveSpecialization(spec, this.resolveDeps());
    return this.launchTry(resolved, arg.fields, resolved.decoding);
  }

  /** One input through the template renderer (the render worker, as experiments render), streamed by generation. */
  private async launchTry(
    resolved: ResolvedSpecialization,
    fields: Record<string, string>,
    decoding: DecodingOverrides,
  ): Promise<{ runId: string; prompt: string }> {
    const roles = { input: Object.keys(fields), reference: null };
    const { prompt, rendered } = await promptFor(resolved, fields, roles, 'the input');
    const { runId } = await this.deps.generation.launch(resolved.model, [prompt], decoding, resolved.adapterFolders);
    return { runId, prompt: rendered.text };
  }

  specialization(id: string): Specialization {
    const s = this.store.byId(id);
    if (!s)
      throw new UserError(`No specialization ${id} in this workspace`, {
        code: 'not-found',
        where: id,
        hint: 'It may belong to another workspace; reload the list.',
      });
    return s;
  }

  /** The objects the specialization depends on, each with its content hash (the specialization first). */
  lineage(id: string): Promise<LineageObject[]> {
    const { models, adapters, templates } = this.deps;
    return specializationObjects(this.specialization(id), {
      model: (modelId) => models.get({ id: modelId }),
      adapter: (adapterId) => adapters.record(adapterId),
      adapterHash: (adapterId) => adapters.contentHash(adapterId),
      templateVersion: (versionId) => templates.templateVersion(versionId),
      demonstrationSetVersion: (versionId) => templates.demonstrationSetVersion(versionId),
    });
  }

  resolve(id: string): Promise<ResolvedSpecialization> {
    return resolveSpecialization(this.specialization(id), this.resolveDeps());
  }

  private resolveDeps() {
    return { models: this.deps.generation, adapters: this.deps.adapters, templates: this.deps.templates };
  }

  /**
   * sha256 over what determines outputs: the model's and adapters' content hashes (weights included), the template
   * and demonstrations' content, the decoding; `legacy` is the older form, with adapter ids, for stored bundles.
   */
  private async hash(parts: SpecializationParts): Promise<{ hash: string; legacy: string }> {
    const model = await this.deps.models.get({ id: parts.modelId });
    const lora = parts.loraAdapterId === null ? null : this.adapter(parts.loraAdapterId, model, 'lora');
    const soft =
      parts.softPromptAdapterId === null ? null : this.adapter(parts.softPromptAdapterId, model, 'softPrompt');
    const template =
      parts.templateVersionId === null
        ? null
        : this.deps.templates.templateVersion(parts.templateVersionId).contentHash;
    const demos =
      parts.demonstrationSetVersionId === null
        ? null
        : this.deps.templates.demonstrationSetVersion(parts.demonstrationSetVersionId).contentHash;
    const decoding = canonicalDecodingSettings(parts.decoding);
    const content = async (a: AdapterRecord | null): Promise<string | null> =>
      a === null ? null : this.deps.adapters.contentHash(a.id);
    const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    const legacy = sha([
      'specialization/1',
      model.contentHash,
      lora?.id ?? null,
      soft?.id ?? null,
      template,
      demos,
      decoding,
    ]);
    if (lora === null && soft === null) return { hash: legacy, legacy };
    return {
      hash: sha([
        'specialization/2',
        model.contentHash,
        await content(lora),
        await content(soft),
        template,
        demos,
        decoding,
      ]),
      legacy,
    };
  }

  private adapter(id: string, model: ModelRecord, part: 'lora' | 'softPrompt'): AdapterRecord {
    const a = this.deps.adapters.record(id);
    const where = part === 'lora' ? 'loraAdapterId' : 'softPromptAdapterId';
    if (a.modelId !== model.id) {
      throw new UserError(`The adapter "${a.name}" was made for another base model than "${model.name}"`, {
        code: 'spec-adapter-model',
        where,
        hint: 'Choose an adapter trained on this model.',
      });
    }
    const gives = part === 'lora' ? a.method !== 'soft-prompt' : a.method !== 'lora';
    if (!gives) {
      throw new UserError(
        `The adapter "${a.name}" has no ${part === 'lora' ? 'LoRA' : 'soft prompt'} part (it is a ${a.method} adapter)`,
        { code: 'spec-adapter-part', where, hint: 'Choose an adapter trained with that method, or "both".' },
      );
    }
    if (!a.check.active) {
      throw new UserError(
        `The adapter "${a.name}" failed the adapter-active check: it does not change the model's output`,
        {
          code: 'spec-adapter-inactive',
          where,
          hint: 'Train it again (more steps or a higher learning rate) or import another.',
        },
      );
    }
    return a;
  }
}

export function componentsOf(parts: SpecializationParts): Component[] {
  const on: Record<Component, boolean> = {
    template: parts.templateVersionId !== null,
    demonstrations: parts.demonstrationSetVersionId !== null,
    lora: parts.loraAdapterId !== null,
    softPrompt: parts.softPromptAdapterId !== null,
  };
  return COMPONENTS.filter((c) => on[c]);
}
