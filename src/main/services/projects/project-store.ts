// The projects tables: a project's spec, stages and best-so-far as JSON (checked on read), and the recorded decisions,
// which the database itself refuses to change or delete.
import { z } from 'zod';
import { Decision, ProjectBest, ProjectSpec, StageState, type Project } from '../../../shared/contract/projects';
import type { SqlDatabase } from '../../platform/db';

interface ProjectRow {
  id: string;
  name: string;
  spec: string;
  stages: string;
  best: string;
  created_at: string;
  updated_at: string;
}
interface DecisionRow {
  evidence: string;
}
const Stages = z.array(StageState);

export class ProjectStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): Project[] {
    return this.db.prepare<ProjectRow>('SELECT * FROM projects ORDER BY created_at DESC, id').all().map(fromRow);
  }

  byId(id: string): Project | undefined {
    const row = this.db.prepare<ProjectRow>('SELECT * FROM projects WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  insert(p: Project): void {
    this.db
      .prepare(
        'INSERT INTO projects (id, name, spec, stages, best, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        p.id,
        p.spec.name,
        JSON.stringify(p.spec),
        JSON.stringify(p.stages),
        JSON.stringify(p.best),
        p.createdAt,
        p.updatedAt,
      );
  }

  update(p: Project): void {
    this.db
      .prepare('UPDATE projects SET spec = ?, stages = ?, best = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(p.spec), JSON.stringify(p.stages), JSON.stringify(p.best), p.updatedAt, p.id);
  }

  insertDecision(d: Decision): void {
    this.db
      .prepare(
        'INSERT INTO project_decisions (id, project_id, option, decided_by, evidence, hash, actor, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(d.id, d.projectId, d.option, d.decidedBy, JSON.stringify(d), d.hash, d.actor, d.decidedAt);
  }

  decision(id: string): Decision | undefined {
    const row = this.db.prepare<DecisionRow>('SELECT evidence FROM project_decisions WHERE id = ?').get(id);
    return row && Decision.parse(JSON.parse(row.evidence));
  }

  decisions(projectId: string): Decision[] {
    return this.db
      .prepare<DecisionRow>('SELECT evidence FROM project_decisions WHERE project_id = ? ORDER BY decided_at DESC, id')
      .all(projectId)
      .map((r) => Decision.parse(JSON.parse(r.evidence)));
  }
}

function fromRow(r: ProjectRow): Project {
  return {
    id: r.id,
    spec: ProjectSpec.parse(JSON.parse(r.spec)),
    stages: Stages.parse(JSON.parse(r.stages)),
    best: ProjectBest.parse(JSON.parse(r.best)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
