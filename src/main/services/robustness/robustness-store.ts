// The robustness tables (failure rules, probes, release audit sets, drift audits) in the workspace db.
import type { AuditSetSpec, DriftAudit, FailureRule, Probe, ProbeSpec } from '../../../shared/contract/robustness';
import type { WeightFormat } from '../../../shared/weight-format';
import type { SqlDatabase } from '../../platform/db';

interface ProbeRow {
  id: string;
  spec: string;
  variants_version_id: string;
  clean_experiment_id: string;
  probe_experiment_id: string;
  created_at: string;
}
interface AuditSetRow {
  release_id: string;
  spec: string;
  baseline_experiment_id: string;
  recorded_format: string;
  created_at: string;
}
interface AuditRow {
  id: string;
  release_id: string;
  experiment_id: string;
  trigger: string;
  started_at: string;
  state: string;
  flags: string;
  comparison: string | null;
  error: string | null;
}

export interface StoredAuditSet {
  spec: AuditSetSpec;
  baselineExperimentId: string;
  /** The weight format the recorded outputs were made at. */
  recordedFormat: WeightFormat;
  createdAt: string;
}

export class RobustnessStore {
  constructor(private readonly db: SqlDatabase) {}

  rules(): FailureRule[] {
    const row = this.db.prepare<{ rules: string }>('SELECT rules FROM failure_rules WHERE singleton = 1').get();
    return row === undefined ? [] : (JSON.parse(row.rules) as FailureRule[]);
  }

  saveRules(rules: readonly FailureRule[], at: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO failure_rules (singleton, rules, updated_at) VALUES (1, ?, ?)')
      .run(JSON.stringify(rules), at);
  }

  insertProbe(p: Probe): void {
    this.db
      .prepare(
        'INSERT INTO robustness_probes (id, spec, variants_version_id, clean_experiment_id, probe_experiment_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(p.id, JSON.stringify(p.spec), p.variantsVersionId, p.cleanExperimentId, p.probeExperimentId, p.createdAt);
  }

  probes(): Probe[] {
    return this.db
      .prepare<ProbeRow>('SELECT * FROM robustness_probes ORDER BY created_at DESC, rowid DESC')
      .all()
      .map((r) => ({
        id: r.id,
        spec: JSON.parse(r.spec) as ProbeSpec,
        variantsVersionId: r.variants_version_id,
        cleanExperimentId: r.clean_experiment_id,
        probeExperimentId: r.probe_experiment_id,
        createdAt: r.created_at,
      }));
  }

  setAuditSet(set: StoredAuditSet): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO release_audit_sets (release_id, spec, baseline_experiment_id, recorded_format, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(set.spec.releaseId, JSON.stringify(set.spec), set.baselineExperimentId, set.recordedFormat, set.createdAt);
  }

  auditSets(): StoredAuditSet[] {
    return this.db
      .prepare<AuditSetRow>('SELECT * FROM release_audit_sets ORDER BY created_at')
      .all()
      .map((r) => ({
        spec: JSON.parse(r.spec) as AuditSetSpec,
        baselineExperimentId: r.baseline_experiment_id,
        recordedFormat: r.recorded_format as WeightFormat,
        createdAt: r.created_at,
      }));
  }

  insertAudit(a: DriftAudit): void {
    this.db
      .prepare(
        'INSERT INTO drift_audits (id, release_id, experiment_id, trigger, started_at, state, flags, comparison, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        a.id,
        a.releaseId,
        a.experimentId,
        a.trigger,
        a.startedAt,
        a.state,
        JSON.stringify(a.flags),
        a.comparison === null ? null : JSON.stringify(a.comparison),
        a.error,
      );
  }

  /** Records an audit's outcome (once its run has ended). */
  finishAudit(a: DriftAudit): void {
    this.db
      .prepare('UPDATE drift_audits SET state = ?, flags = ?, comparison = ?, error = ? WHERE id = ?')
      .run(
        a.state,
        JSON.stringify(a.flags),
        a.comparison === null ? null : JSON.stringify(a.comparison),
        a.error,
        a.id,
      );
  }

  audits(releaseId?: string): DriftAudit[] {
    const rows =
      releaseId === undefined
        ? this.db.prepare<AuditRow>('SELECT * FROM drift_audits ORDER BY started_at DESC, rowid DESC').all()
        : this.db
            .prepare<AuditRow>('SELECT * FROM drift_audits WHERE release_id = ? ORDER BY started_at DESC, rowid DESC')
            .all(releaseId);
    return rows.map((r) => ({
      id: r.id,
      releaseId: r.release_id,
      experimentId: r.experiment_id,
      trigger: r.trigger as DriftAudit['trigger'],
      startedAt: r.started_at,
      state: r.state as DriftAudit['state'],
      flags: JSON.parse(r.flags) as DriftAudit['flags'],
      comparison: r.comparison === null ? null : (JSON.parse(r.comparison) as DriftAudit['comparison']),
      error: r.error,
    }));
  }
}
