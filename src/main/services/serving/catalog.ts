// Which model ids the endpoint answers: `<release name>@<version>` for every release and `<release name>@<channel>`
// for every channel that points at one; and an id resolved to its release, made ready for generation once per
// release (releases are immutable, so the resolution is kept while the server runs).
import type { Channel, Release } from '../../../shared/contract/releases';
import type { ServedModel } from '../../../shared/contract/serving';
import type { ResolvedSpecialization } from '../specializations/resolve';
import { modelNotFound } from './endpoint-error';

export interface CatalogDeps {
  readonly releases: { list(): Promise<Release[]>; channels(): Promise<Channel[]> };
  readonly resolve: (specializationId: string) => Promise<ResolvedSpecialization>;
  /** The input fields a template version reads (its `examples` left out). */
  readonly templateFields: (templateVersionId: string) => string[];
}

export interface ServedTarget {
  readonly served: ServedModel;
  readonly resolved: ResolvedSpecialization;
  /** The fields the user message fills (empty without a template). */
  readonly inputFields: readonly string[];
}

export class Catalog {
  private readonly ready = new Map<string, Promise<Omit<ServedTarget, 'served'>>>();

  constructor(private readonly deps: CatalogDeps) {}

  async models(): Promise<ServedModel[]> {
    const [releases, channels] = await Promise.all([this.deps.releases.list(), this.deps.releases.channels()]);
    const byId = new Map(releases.map((r) => [r.id, r]));
    const served: ServedModel[] = [];
    for (const c of channels) {
      const r = c.releaseId === null ? undefined : byId.get(c.releaseId);
      if (r) served.push(entry(r, c.name, c.updatedAt));
    }
    for (const r of releases) served.push(entry(r, null, r.createdAt));
    return served;
  }

  /** The release behind a model id (a version before a channel of the same spelling), ready to generate. */
  async target(model: string): Promise<ServedTarget> {
    const models = await this.models();
    const served = models.find((m) => m.id === model && m.channel === null) ?? models.find((m) => m.id === model);
    if (!served) throw modelNotFound(model);
    let ready = this.ready.get(served.releaseId);
    if (!ready) {
      const release = (await this.deps.releases.list()).find((r) => r.id === served.releaseId);
      ready = this.prepare(release?.specializationId ?? '');
      this.ready.set(served.releaseId, ready);
      ready.catch(() => this.ready.delete(served.releaseId));
    }
    return { served, ...(await ready) };
  }

  private async prepare(specializationId: string): Promise<Omit<ServedTarget, 'served'>> {
    const resolved = await this.deps.resolve(specializationId);
    const tv = resolved.spec.templateVersionId;
    return { resolved, inputFields: tv === null ? [] : this.deps.templateFields(tv) };
  }
}

function entry(r: Release, channel: string | null, at: string): ServedModel {
  return {
    id: `${r.name}@${channel ?? r.version}`,
    releaseId: r.id,
    releaseName: r.name,
    version: r.version,
    channel,
    createdAt: at,
  };
}
