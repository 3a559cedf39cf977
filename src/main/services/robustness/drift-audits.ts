// Drift audits of releases. A release's audit set (dataset version, split, limit, metrics, schedule) names an
// experiment holding the release's recorded outputs on it (made, or found by content, when the set is attached;
// their weight format is recorded, since outputs are keyed by it). An audit runs a `fresh` experiment of the same
// specialization on the same rows (every output generated again, kept apart), then compares it with the recorded
// outputs (drift.ts) and stores the outcome. An audit whose run the app's closing cut short finishes when read again.
// Audits the schedule starts are written to the workspace's audit log by the app's own actor (their start, or why it
// could not, and their result), since no call of the dispatcher records them.
import type { Experiment, ExperimentSpecIn } from '../../../shared/contract/experiments';
import type { Release } from '../../../shared/contract/releases';
import type { AuditSet, AuditSetSpec, DriftAudit, FailureRule } from '../../../shared/contract/robustness';
import type { WeightFormat } from '../../../shared/weight-format';
import { APP_ACTOR } from '../../../shared/contract/audit';
import { UserError } from '../../../shared/errors';
import type { AuditDraft } from '../audit/audit-log';
import type { Collected } from '../experiments/results';
import { compareRuns } from './drift';
import type { RobustnessStore, StoredAuditSet } from './robustness-store';

const DAY_MS = 86_400_000;

export interface DriftAuditsDeps {
  store: () => RobustnessStore;
  experiments: {
    create(spec: ExperimentSpecIn): Promise<Experiment>;
    run(arg: { id: string }): Promise<Experiment>;
    get(arg: { id: string }): Promise<Experiment>;
    stored(id: string, weightFormat?: WeightFormat): Promise<{ experiment: Experiment; collected: Collected }>;
    settled(id: string): Promise<Experiment>;
  };
  release: (id: string) => Promise<Release>;
  /** The weight format a specialization's model runs at now. */
  weightFormatOf: (specializationId: string) => WeightFormat;
  rules: () => FailureRule[];
  onChanged: (releaseId: string) => void;
  /** Appends an entry to the open workspace's audit log. */
  auditLog: (draft: AuditDraft) => void;
  clock: () => Date;
  newId: () => string;
}

export class DriftAudits {
  private readonly pending = new Map<string, Promise<DriftAudit>>();
  private dueRun: Promise<DriftAudit[]> | undefined;

  constructor(private readonly deps: DriftAuditsDeps) {}

  async setAuditSet(spec: AuditSetSpec): Promise<AuditSet> {
    const release = await this.deps.release(spec.releaseId);
    const baseline = await this.deps.experiments.create({
      name: `Audit set of ${release.name} ${release.version}`,
      datasetVersionId: spec.datasetVersionId,
      split: spec.split,
      limit: spec.limit,
      design: { kind: 'compare', specializationIds: [release.specializationId] },
      metrics: spec.metrics,
    });
    this.deps.store().setAuditSet({
      spec,
      baselineExperimentId: baseline.id,
      recordedFormat: this.deps.weightFormatOf(release.specializationId),
      createdAt: this.deps.clock().toISOString(),
    });
    await this.deps.experiments.run({ id: baseline.id });
    this.deps.onChanged(release.id);
    return this.view(this.set(release.id));
  }

  sets(): AuditSet[] {
    return this.deps
      .store()
      .auditSets()
      .map((s) => this.view(s));
  }

  /** Starts an audit of the release: its audit set's rows generated anew, compared once the run ends. */
  async start(releaseId: string, trigger: DriftAudit['trigger']): Promise<DriftAudit> {
    const set = this.set(releaseId);
    const release = await this.deps.release(releaseId);
    const at = this.deps.clock().toISOString();
    const id = this.deps.newId();
    const experiment = await this.deps.experiments.create({
      name: `Drift audit of ${release.name} ${release.version} (${at})`,
      datasetVersionId: set.spec.datasetVersionId,
      split: set.spec.split,
      limit: set.spec.limit,
      design: { kind: 'compare', specializationIds: [release.specializationId] },
      metrics: set.spec.metrics,
      fresh: `audit:${id}`,
    });
    const audit: DriftAudit = {
      id,
      releaseId,
      experimentId: experiment.id,
      trigger,
      startedAt: at,
      state: 'running',
      flags: [],
      comparison: null,
      error: null,
    };
    this.deps.store().insertAudit(audit);
    await this.resume(set.baselineExperimentId);
    await this.deps.experiments.run({ id: experiment.id });
    // Logged before it is followed, so its result is always the later entry.
    if (trigger === 'schedule')
      this.logScheduled('robustness.startAudit', { releaseId, trigger }, [releaseId, id, experiment.id]);
    this.follow(audit, set);
    this.deps.onChanged(releaseId);
    return audit;
  }

  /** The audit as stored; one still running is waited for, one cut short by a closed app is run on. */
  async outcome(id: string): Promise<DriftAudit> {
    const pending = this.pending.get(id);
    if (pending) return pending;
    const audit = this.deps
      .store()
      .audits()
      .find((a) => a.id === id);
    if (!audit) throw new UserError(`No drift audit ${id} in this workspace`, { code: 'not-found', where: id });
    if (audit.state !== 'running') return audit;
    const set = this.set(audit.releaseId);
    await this.resume(set.baselineExperimentId);
    await this.resume(audit.experimentId);
    return this.follow(audit, set);
  }

  /** Starts the audits whose schedule is due (at app start); a second call while one runs joins it. */
  runDue(): Promise<DriftAudit[]> {
    this.dueRun ??= (async () => {
      const started: DriftAudit[] = [];
      for (const set of this.sets().filter((s) => s.due)) {
        try {
          started.push(await this.start(set.releaseId, 'schedule'));
        } catch (error) {
          // One release's audit that cannot start (its release gone, a bad set) leaves the others due to run.
          const message = error instanceof Error ? error.message : String(error);
          this.logScheduled(
            'robustness.startAudit',
            { releaseId: set.releaseId, trigger: 'schedule', error: message },
            [set.releaseId],
          );
          if (!(error instanceof UserError)) throw error;
        }
      }
      return started;
    })().finally(() => {
      this.dueRun = undefined;
    });
    return this.dueRun;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.pending.values());
  }

  private follow(audit: DriftAudit, set: StoredAuditSet): Promise<DriftAudit> {
    const done = this.finish(audit, set).finally(() => this.pending.delete(audit.id));
    this.pending.set(audit.id, done);
    return done;
  }

  private async finish(audit: DriftAudit, set: StoredAuditSet): Promise<DriftAudit> {
    const base = await this.deps.experiments.settled(set.baselineExperimentId);
    const now = await this.deps.experiments.settled(audit.experimentId);
    // Cut short by the app closing or the engine restarting: left running, to go on when read again.
    if ([base.state, now.state].some((s) => s === 'cancelled' || s === 'interrupted')) return audit;
    let result: DriftAudit;
    if (base.state !== 'completed' || now.state !== 'completed') {
      const failed = base.state !== 'completed' ? base : now;
      result = {
        ...audit,
        state: 'failed',
        error: `${failed.name} ${failed.state}${failed.error ? `: ${failed.error.message}` : ''}`,
      };
    } else {
      const release = await this.deps.release(audit.releaseId);
      const formatNow = this.deps.weightFormatOf(release.specializationId);
      const recorded = await this.deps.experiments.stored(set.baselineExperimentId, set.recordedFormat);
      const current = await this.deps.experiments.stored(audit.experimentId);
      const { comparison, flags } = compareRuns(
        recorded.collected,
        current.collected,
        set.spec.metrics,
        this.deps.rules(),
        0,
      );
      if (formatNow !== set.recordedFormat)
        comparison.notes.push(
          `The model's weights run as ${formatNow} now; the recorded outputs were made as ${set.recordedFormat}.`,
        );
      const state = flags.some((f) => f.severity === 'drift') ? 'drift' : flags.length > 0 ? 'warning' : 'passed';
      result = { ...audit, state, flags, comparison };
    }
    this.deps.store().finishAudit(result);
    if (audit.trigger === 'schedule')
      this.logScheduled(
        'robustness.auditFinished',
        {
          releaseId: audit.releaseId,
          auditId: audit.id,
          state: result.state,
          flags: result.flags.map((f) => `${f.severity} (${f.aspect}): ${f.message}`),
          ...(result.error === null ? {} : { error: result.error }),
        },
        [audit.releaseId, audit.id, audit.experimentId],
      );
    this.deps.onChanged(audit.releaseId);
    return result;
  }

  private logScheduled(method: string, args: Record<string, unknown>, ids: readonly string[]): void {
    this.deps.auditLog({
      at: this.deps.clock().toISOString(),
      actor: APP_ACTOR,
      method,
      args,
      objects: ids.map((id) => ({ id })),
    });
  }

  /** Runs an experiment again when it ended without completing (it generates only what is missing). */
  private async resume(experimentId: string): Promise<void> {
    const e = await this.deps.experiments.get({ id: experimentId });
    if (e.state === 'created' || e.state === 'cancelled' || e.state === 'interrupted' || e.state === 'failed')
      await this.deps.experiments.run({ id: experimentId });
  }

  private set(releaseId: string): StoredAuditSet {
    const set = this.deps
      .store()
      .auditSets()
      .find((s) => s.spec.releaseId === releaseId);
    if (!set)
      throw new UserError('This release has no audit set', {
        code: 'audit-set-missing',
        where: 'releaseId',
        hint: 'Attach an audit set (a dataset version and split) to the release first.',
      });
    return set;
  }

  private view(s: StoredAuditSet): AuditSet {
    const last = this.deps.store().audits(s.spec.releaseId)[0]?.startedAt ?? null;
    const since = Date.parse(last ?? s.createdAt);
    const due = s.spec.everyDays !== null && this.deps.clock().getTime() - since >= s.spec.everyDays * DAY_MS;
    return {
      ...s.spec,
      baselineExperimentId: s.baselineExperimentId,
      recordedFormat: s.recordedFormat,
      createdAt: s.createdAt,
      lastAuditAt: last,
      due,
    };
  }
}
