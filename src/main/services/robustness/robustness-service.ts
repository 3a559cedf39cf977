// The robustness service (robustnessContract): the workspace's failure rules, the failure-mode view of an
// experiment, robustness probes (started by probes.ts, analysed by probe-analysis.ts) and drift audits of releases
// (drift-audits.ts). Generation always goes through the experiments service: this service runs no model itself.
import { randomUUID } from 'node:crypto';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { Experiment } from '../../../shared/contract/experiments';
import type { Project } from '../../../shared/contract/projects';
import type { Release } from '../../../shared/contract/releases';
import type {
  AuditSet,
  AuditSetSpec,
  DriftAudit,
  FailureModes,
  FailureRule,
  Probe,
  ProbeResults,
  ProbeSpec,
  StageFailureModes,
  robustnessContract,
} from '../../../shared/contract/robustness';
import type { MetricSpec } from '../../../shared/metrics';
import type { WeightFormat } from '../../../shared/weight-format';
import { UserError } from '../../../shared/errors';
import type { WorkspaceAccess } from '../workspace';
import { DriftAudits, type DriftAuditsDeps } from './drift-audits';
import { categoriesOf, failureModes, type TagsOf } from './failure-modes';
import { analyzeProbe } from './probe-analysis';
import { startProbe, type ProbeDeps } from './probes';
import { RobustnessStore } from './robustness-store';
import { stageColumns, stageFailureModes } from './stage-failure-modes';

type Contract = typeof robustnessContract;

export interface RobustnessServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly experiments: DriftAuditsDeps['experiments'];
  readonly datasets: ProbeDeps['datasets'];
  readonly importDataset: ProbeDeps['importDataset'];
  readonly release: (id: string) => Promise<Release>;
  /** A project with its stages' runs (the failure view across stages). */
  readonly project: (id: string) => Promise<Project>;
  /** The weight format a specialization's model runs at now. */
  readonly weightFormatOf: (specializationId: string) => WeightFormat;
  /** Reviewers' tags on an experiment's outputs (closed rounds only). */
  readonly reviewTags: (experimentId: string) => { specializationId: string; exampleIdx: number; tag: string }[];
  /** Appends to the open workspace's audit log (scheduled audits, which no dispatcher call records). */
  readonly auditLog: DriftAuditsDeps['auditLog'];
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export class RobustnessService implements ServiceImpl<Contract> {
  readonly drift: DriftAudits;

  constructor(private readonly deps: RobustnessServiceDeps) {
    this.drift = new DriftAudits({
      store: () => this.store(),
      experiments: deps.experiments,
      release: deps.release,
      weightFormatOf: deps.weightFormatOf,
      rules: () => this.store().rules(),
      onChanged: (id) => deps.events.emit('onChanged', { id }),
      auditLog: deps.auditLog,
      clock: deps.clock,
      newId: deps.newId ?? randomUUID,
    });
  }

  async rules(): Promise<FailureRule[]> {
    return this.store().rules();
  }

  async saveRules({ rules }: { rules: FailureRule[] }): Promise<FailureRule[]> {
    const names = new Set<string>();
    rules.forEach((rule, i) => {
      if (names.has(rule.name))
        throw new UserError(`Two rules are named "${rule.name}"`, {
          code: 'rule-name',
          where: `rules.${i}.name`,
          hint: 'Each rule names one failure category: give it its own name.',
        });
      names.add(rule.name);
    });
    this.store().saveRules(rules, this.deps.clock().toISOString());
    this.deps.events.emit('onChanged', { id: 'rules' });
    return rules;
  }

  async failureModes({ id: experimentId }: { id: string }): Promise<FailureModes> {
    const { experiment, collected } = await this.deps.experiments.stored(experimentId);
    return failureModes(experiment, collected, this.store().rules(), this.tagsOf(experiment));
  }

  async projectFailureModes({ id }: { id: string }): Promise<StageFailureModes> {
    const project = await this.deps.project(id);
    const runs = project.stages.flatMap((s) => s.runs.filter((r) => r.kind === 'experiment'));
    const experiments = new Map<string, Experiment>();
    for (const run of runs) {
      const e = await this.deps.experiments.get({ id: run.id }).catch((error: unknown) => {
        if (error instanceof UserError) return undefined; // removed since: the stage has no column
        throw error;
      });
      if (e) experiments.set(e.id, e);
    }
    const rules = this.store().rules();
    const columns = [];
    for (const column of stageColumns(project, experiments)) {
      const { experiment, collected } = await this.deps.experiments.stored(column.experimentId);
      const categories = categoriesOf(experiment, collected, rules, this.tagsOf(experiment))[column.cell] ?? [];
      columns.push({ column, experiment, collected, categories });
    }
    return stageFailureModes(id, columns);
  }

  async probes(): Promise<Probe[]> {
    return this.store().probes();
  }

  async startProbe(spec: ProbeSpec): Promise<Probe> {
    const ws = this.deps.workspace.active;
    const probe = await startProbe(
      spec,
      ws.info.path,
      { datasets: this.deps.datasets, importDataset: this.deps.importDataset, experiments: this.deps.experiments },
      this.deps.clock().toISOString(),
      this.deps.newId,
    );
    this.store(ws).insertProbe(probe);
    this.deps.events.emit('onChanged', { id: probe.id });
    return probe;
  }

  /** Waits for a probe's runs to end (the headless commands). */
  async probeSettled(id: string): Promise<void> {
    const probe = this.probe(id);
    await this.deps.experiments.settled(probe.cleanExperimentId);
    await this.deps.experiments.settled(probe.probeExperimentId);
  }

  async probeResults({ id }: { id: string }): Promise<ProbeResults> {
    const probe = this.probe(id);
    const clean = await this.deps.experiments.stored(probe.cleanExperimentId);
    const probed = await this.deps.experiments.stored(probe.probeExperimentId);
    const inputs = this.deps.datasets.versionFacts(probe.spec.datasetVersionId).roles.input;
    const { rows, findings } = analyzeProbe(
      clean.experiment.cells,
      clean.collected,
      probed.collected,
      probe.spec.kinds,
      probe.spec.metrics[0] as MetricSpec,
      inputs,
    );
    const complete = clean.experiment.state === 'completed' && probed.experiment.state === 'completed';
    return { probe, complete, rows, findings };
  }

  async auditSets(): Promise<AuditSet[]> {
    return this.drift.sets();
  }

  async setAuditSet(spec: AuditSetSpec): Promise<AuditSet> {
    return this.drift.setAuditSet(spec);
  }

  async startAudit(arg: { releaseId: string; trigger: DriftAudit['trigger'] }): Promise<DriftAudit> {
    return this.drift.start(arg.releaseId, arg.trigger);
  }

  async audits({ releaseId }: { releaseId?: string | undefined }): Promise<DriftAudit[]> {
    return this.store().audits(releaseId);
  }

  async audit({ id }: { id: string }): Promise<DriftAudit> {
    return this.drift.outcome(id);
  }

  async dispose(): Promise<void> {
    await this.drift.dispose();
  }

  /** Reviewers' tags on an experiment's outputs, by cell and example. */
  private tagsOf(experiment: Experiment): TagsOf {
    const tags = this.deps.reviewTags(experiment.id);
    const byCell = experiment.cells.map((cell) => {
      const m = new Map<number, string[]>();
      for (const t of tags)
        if (t.specializationId === cell.specializationId) m.set(t.exampleIdx, [...(m.get(t.exampleIdx) ?? []), t.tag]);
      return m;
    });
    return (c, i) => byCell[c]?.get(i) ?? [];
  }

  private probe(id: string): Probe {
    const probe = this.store()
      .probes()
      .find((p) => p.id === id);
    if (!probe) throw new UserError(`No robustness probe ${id} in this workspace`, { code: 'not-found', where: id });
    return probe;
  }

  private store(ws = this.deps.workspace.active): RobustnessStore {
    return new RobustnessStore(ws.db);
  }
}
