// The releases service (releasesContract): freezes a specialization as a named, versioned release with its lineage
// and evidence, and moves channels between releases by gated promotion or one-step rollback, each move recorded.
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { Experiment, ExperimentResults } from '../../../shared/contract/experiments';
import type {
  BundleImport,
  Channel,
  ChannelBudget,
  ChannelMove,
  Evidence,
  GateCheck,
  Gates,
  Release,
  releasesContract,
} from '../../../shared/contract/releases';
import type { Decision } from '../../../shared/contract/projects';
import type { ReviewResults, Round } from '../../../shared/contract/reviews';
import type { Specialization } from '../../../shared/contract/specializations';
import type { TemplateStatus } from '../../../shared/contract/templates';
import { BugError, UserError } from '../../../shared/errors';
import type { LineageObject } from '../../../shared/lineage';
import { manifest } from '../lineage/specialization-lineage';
import type { WorkspaceAccess } from '../workspace';
import { decisionEvidence, experimentEvidence, requireClosed, roundEvidence } from './evidence';
import { exportBundle, type ExportSources } from './bundle-export';
import { importBundleParts, type ImportTargets } from './bundle-import';
import { checkGates } from './gates';
import { channelBudget, type ServingFigures } from './channel-budget';
import { ReleaseStore, type Actor } from './release-store';
import { vllmServeCommand, type VllmServeCommand } from '../remote/vllm-command';

type Contract = typeof releasesContract;

export interface ReleasesServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly specialization: (id: string) => Specialization;
  /** A specialization's lineage objects, each with its content hash. */
  readonly lineage: (specializationId: string) => Promise<LineageObject[]>;
  readonly experiments: {
    get(arg: { id: string }): Promise<Experiment>;
    results(arg: { id: string }): Promise<ExperimentResults>;
  };
  readonly reviews: {
    get(arg: { id: string }, ctx: CallContext): Promise<Round>;
    results(arg: { id: string }): Promise<ReviewResults>;
  };
  readonly datasetName: (versionId: string) => Promise<string>;
  /** A project's recorded prompt/adapter decision by id (absent: decisions cannot be cited). */
  readonly decision?: (id: string) => Decision;
  readonly templateStatus: (templateVersionId: string) => TemplateStatus;
  /** The profile behind a call, by id (null: nobody). */
  readonly userName: (id: string) => string | undefined;
  readonly appVersion: string;
  readonly bundles: { export: ExportSources; import: ImportTargets; resolvePath(input: string): string };
  readonly events: EventSink<Contract>;
  /** The serving side's figures per release, shown against a channel's budget; absent until serving is connected. */
  readonly serving?: ServingFigures;
  readonly clock: () => Date;
  readonly newId?: () => string;
  /** What the vLLM command needs: the base model's folder and an adapter's folder, rank and vLLM check. */
  readonly vllm?: {
    modelFolder(id: string): Promise<string>;
    adapter(id: string): Promise<{ folder: string; r: number | null; compatible: boolean; problems: string[] }>;
  };
}

export class ReleasesService implements ServiceImpl<Contract> {
  constructor(private readonly deps: ReleasesServiceDeps) {}

  private get store(): ReleaseStore {
    return new ReleaseStore(this.deps.workspace.active.db);
  }

  async vllmCommand(arg: { id: string; port?: number | undefined }): Promise<VllmServeCommand> {
    const release = this.release(arg.id);
    const s = this.deps.specialization(release.specializationId);
    if (!this.deps.vllm) throw new UserError('The vLLM command is not available here', { code: 'vllm-unavailable' });
    const lora = s.loraAdapterId === null ? null : await this.deps.vllm.adapter(s.loraAdapterId);
    return vllmServeCommand({
      releaseName: release.name,
      version: release.version,
      modelFolder: await this.deps.vllm.modelFolder(s.modelId),
      lora: lora && { ...lora, r: lora.r ?? 0 },
      softPrompt: s.softPromptAdapterId !== null,
      ...(arg.port === undefined ? {} : { port: arg.port }),
    });
  }

  async list(): Promise<Release[]> {
    return this.store.releases();
  }

  async get({ id }: { id: string }): Promise<Release> {
    return this.release(id);
  }

  async create(
    arg: {
      specializationId: string;
      name: string;
      version: string;
      notes: string;
      experimentIds: string[];
      roundIds: string[];
      decisionIds?: string[] | undefined;
    },
    ctx: CallContext,
  ): Promise<Release> {
    const version = semver.valid(arg.version);
    if (version === null) {
      throw new UserError(`"${arg.version}" is not a semantic version`, {
        code: 'release-version',
        where: 'version',
        hint: 'Write major.minor.patch, such as 1.0.0 or 1.1.0-rc.1.',
      });
    }
    const store = this.store;
    const newest = store
      .versionsOf(arg.name)
      .filter((v) => semver.valid(v) !== null)
      .sort(semver.rcompare)[0];
    if (newest !== undefined && !semver.gt(version, newest)) {
      throw new UserError(
        `"${arg.name}" already has version ${newest}; a new release needs a higher version than ${version}`,
        {
          code: 'release-version',
          where: 'version',
          hint: `Try ${semver.inc(newest, 'minor') ?? newest}.`,
        },
      );
    }
    const spec = this.deps.specialization(arg.specializationId);
    const actor = this.actor(ctx);
    const id = (this.deps.newId ?? randomUUID)();
    const evidence = await this.evidence(spec, arg, ctx);
    const objects = await this.deps.lineage(spec.id);
    const at = this.deps.clock();
    const frozen = manifest({ kind: 'release', id, name: `${arg.name} ${version}` }, objects, {
      appVersion: this.deps.appVersion,
      actor,
      at,
    });
    const db = this.deps.workspace.active.db;
    db.transaction(() => {
      store.insert({
        id,
        name: arg.name,
        version,
        specializationId: spec.id,
        specializationHash: spec.hash,
        manifest: frozen,
        notes: arg.notes,
        authorId: actor.id,
        authorName: actor.name,
        createdAt: at.toISOString(),
      });
      store.addEvidence(id, evidence, actor.name, at.toISOString());
    });
    this.deps.events.emit('onChanged', { id });
    return this.release(id);
  }

  async attachEvidence(
    arg: { id: string; experimentIds: string[]; roundIds: string[]; decisionIds?: string[] | undefined },
    ctx: CallContext,
  ): Promise<Release> {
    const release = this.release(arg.id);
    const evidence = await this.evidence(this.deps.specialization(release.specializationId), arg, ctx);
    if (evidence.length === 0)
      throw new UserError('Choose an experiment, a review round or a decision to attach', {
        code: 'release-evidence',
        where: 'experimentIds',
      });
    this.store.addEvidence(release.id, evidence, this.actor(ctx).name, this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { id: release.id });
    return this.release(release.id);
  }

  async approve({ id }: { id: string }, ctx: CallContext): Promise<Release> {
    const release = this.release(id);
    const actor = this.actor(ctx);
    if (actor.id === null)
      throw new UserError('Sign in to approve a release', {
        code: 'signed-out',
        hint: 'Choose your profile in the top bar.',
      });
    if (actor.id === release.authorId) {
      throw new UserError(`You made ${release.name} ${release.version}: an approval must come from someone else`, {
        code: 'release-self-approval',
        hint: 'Ask another editor, analyst or admin to approve it.',
      });
    }
    this.store.approve(id, { id: actor.id, name: actor.name }, this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { id });
    return this.release(id);
  }

  async channels(): Promise<Channel[]> {
    return this.store.channels();
  }

  async createChannel(arg: { name: string; gates: Gates }): Promise<Channel> {
    const store = this.store;
    if (store.channelByName(arg.name))
      throw new UserError(`There is already a channel "${arg.name}"`, {
        code: 'channel-exists',
        where: 'name',
        hint: 'Choose another name.',
      });
    const at = this.deps.clock().toISOString();
    const channel: Channel = {
      id: (this.deps.newId ?? randomUUID)(),
      name: arg.name,
      releaseId: null,
      gates: arg.gates,
      createdAt: at,
      updatedAt: at,
    };
    store.insertChannel(channel);
    this.deps.events.emit('onChanged', { id: channel.id });
    return channel;
  }

  async setGates(arg: { channelId: string; gates: Gates }): Promise<Channel> {
    const channel = this.channel(arg.channelId);
    this.store.setGates(channel.id, arg.gates, this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { id: channel.id });
    return this.channel(channel.id);
  }

  async check(arg: { channelId: string; releaseId: string }): Promise<GateCheck[]> {
    return this.gates(this.channel(arg.channelId), this.release(arg.releaseId));
  }

  async budget(arg: { channelId: string }): Promise<ChannelBudget> {
    const channel = this.channel(arg.channelId);
    return channelBudget(
      channel,
      channel.releaseId === null ? null : this.release(channel.releaseId),
      this.deps.serving,
    );
  }

  async promote(arg: { channelId: string; releaseId: string }, ctx: CallContext): Promise<Channel> {
    const channel = this.channel(arg.channelId);
    const release = this.release(arg.releaseId);
    if (channel.releaseId === release.id)
      throw new UserError(`${channel.name} already serves ${release.name} ${release.version}`, {
        code: 'channel-unchanged',
      });
    const unmet = (await this.gates(channel, release)).filter((g) => !g.met);
    if (unmet.length > 0) {
      const list = unmet.map((g) => `- ${g.gate}: ${g.detail}`).join('\n');
      throw new UserError(
        `${release.name} ${release.version} cannot go to ${channel.name}: ${unmet.length} gate${unmet.length === 1 ? '' : 's'} not met\n${list}`,
        {
          code: 'gates-unmet',
          hint: 'Attach the evidence or approval each gate asks for, then promote again.',
        },
      );
    }
    this.store.move(
      channel.id,
      'promote',
      channel.releaseId,
      release.id,
      this.actor(ctx),
      this.deps.clock().toISOString(),
    );
    this.deps.events.emit('onChanged', { id: channel.id });
    return this.channel(channel.id);
  }

  async rollback({ channelId }: { channelId: string }, ctx: CallContext): Promise<Channel> {
    const channel = this.channel(channelId);
    const store = this.store;
    const cameFrom =
      store.moves(channel.id).find((m) => m.kind === 'promote' && m.toReleaseId === channel.releaseId)?.fromReleaseId ??
      null;
    if (channel.releaseId === null || cameFrom === null) {
      throw new UserError(`${channel.name} has no earlier release to go back to`, {
        code: 'rollback-none',
        hint: 'Promote the release you want instead.',
      });
    }
    store.move(channel.id, 'rollback', channel.releaseId, cameFrom, this.actor(ctx), this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { id: channel.id });
    return this.channel(channel.id);
  }

  async history({ channelId }: { channelId: string }): Promise<ChannelMove[]> {
    return this.store.moves(this.channel(channelId).id);
  }

  async exportBundle(arg: { id: string; folder: string }): Promise<{ folder: string; files: number }> {
    return exportBundle(this.release(arg.id), this.deps.bundles.resolvePath(arg.folder), this.deps.bundles.export);
  }

  async importBundle(arg: { folder: string }, ctx: CallContext): Promise<BundleImport> {
    const folder = this.deps.bundles.resolvePath(arg.folder);
    const { bundle, specialization, files, parts } = await importBundleParts(folder, this.deps.bundles.import);
    const { name, version } = bundle.release;
    const origin = {
      authorName: bundle.release.authorName,
      createdAt: bundle.release.createdAt,
      appVersion: bundle.lineage.appVersion,
      evidence: bundle.release.evidence.length,
      approvals: bundle.release.approvals.map((a) => a.name),
    };
    const sameSpecialization = specialization.hash === bundle.release.specializationHash;
    const existing = this.store.byNameVersion(name, version);
    if (existing) {
      if (existing.specializationHash !== specialization.hash) {
        throw new UserError(`This workspace already has ${name} ${version} with other contents`, {
          code: 'release-exists',
          where: 'folder',
          hint: 'A release never changes: give the new one another version in the workspace that made it.',
        });
      }
      return { release: existing, files, parts, sameSpecialization, origin };
    }
    const actor = this.actor(ctx);
    const id = (this.deps.newId ?? randomUUID)();
    const at = this.deps.clock();
    const objects = await this.deps.lineage(specialization.id);
    const notes = [
      bundle.release.notes,
      `Imported from a bundle made by ${origin.authorName} on ${origin.createdAt} with Dovetail ${origin.appVersion}; its evidence and approvals stay with that workspace.`,
    ]
      .filter(Boolean)
      .join('\n\n');
    this.store.insert({
      id,
      name,
      version,
      specializationId: specialization.id,
      specializationHash: specialization.hash,
      notes,
      authorId: actor.id,
      authorName: actor.name,
      createdAt: at.toISOString(),
      manifest: manifest({ kind: 'release', id, name: `${name} ${version}` }, objects, {
        appVersion: this.deps.appVersion,
        actor,
        at,
      }),
    });
    this.deps.events.emit('onChanged', { id });
    return { release: this.release(id), files, parts, sameSpecialization, origin };
  }

  private async gates(channel: Channel, release: Release): Promise<GateCheck[]> {
    const spec = this.deps.specialization(release.specializationId);
    const names = new Map<string, string>();
    for (const g of channel.gates.metrics)
      names.set(g.datasetVersionId, await this.deps.datasetName(g.datasetVersionId).catch(() => g.datasetVersionId));
    return checkGates(release, channel.gates, {
      templateStatus: spec.templateVersionId === null ? null : this.deps.templateStatus(spec.templateVersionId),
      datasetName: (id) => names.get(id) ?? id,
    });
  }

  private async evidence(
    spec: Specialization,
    ids: { experimentIds: readonly string[]; roundIds: readonly string[]; decisionIds?: readonly string[] | undefined },
    ctx: CallContext,
  ): Promise<Evidence[]> {
    const { experimentIds, roundIds, decisionIds = [] } = ids;
    const out: Evidence[] = [];
    for (const id of new Set(experimentIds)) {
      const experiment = await this.deps.experiments.get({ id });
      out.push(
        experimentEvidence(
          experiment,
          await this.deps.experiments.results({ id }),
          await this.deps.datasetName(experiment.spec.datasetVersionId),
          spec,
        ),
      );
    }
    for (const id of new Set(roundIds)) {
      const round = await this.deps.reviews.get({ id }, ctx);
      requireClosed(round);
      out.push(roundEvidence(round, await this.deps.reviews.results({ id }), spec));
    }
    for (const id of new Set(decisionIds)) {
      if (!this.deps.decision) throw new BugError('decisions cited without the projects service wired');
      out.push(decisionEvidence(this.deps.decision(id), spec, (specId) => this.deps.specialization(specId).hash));
    }
    return out;
  }

  private actor(ctx: CallContext): Actor {
    const id = ctx.userId ?? null;
    return { id, name: id === null ? 'local user' : (this.deps.userName(id) ?? id) };
  }

  private release(id: string): Release {
    const r = this.store.release(id);
    if (!r)
      throw new UserError(`No release ${id} in this workspace`, {
        code: 'not-found',
        where: id,
        hint: 'Reload the list of releases.',
      });
    return r;
  }

  private channel(id: string): Channel {
    const c = this.store.channel(id);
    if (!c)
      throw new UserError(`No channel ${id} in this workspace`, {
        code: 'not-found',
        where: id,
        hint: 'Reload the list of channels.',
      });
    return c;
  }
}
