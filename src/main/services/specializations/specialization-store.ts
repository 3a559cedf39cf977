// The specializations table (migration 4): content-hashed, immutable bundles; parts and components as JSON.
import { z } from 'zod';
import { Component, SpecializationParts, type Specialization } from '../../../shared/contract/specializations';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface Row {
  id: string;
  name: string;
  hash: string;
  parts: string;
  components: string;
  derived_from: string | null;
  created_at: string;
}

const COLUMNS = 'id, name, hash, parts, components, derived_from, created_at';
const Components = z.array(Component);

export class SpecializationStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): Specialization[] {
    return this.db
      .prepare<Row>(`SELECT ${COLUMNS} FROM specializations ORDER BY derived_from IS NOT NULL, created_at DESC, id`)
      .all()
      .map(fromRow);
  }

  byId(id: string): Specialization | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM specializations WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  byHash(hash: string): Specialization | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM specializations WHERE hash = ?`).get(hash);
    return row && fromRow(row);
  }

  /** Makes an ablation's cell a specialization of its own (someone created the same bundle by name). */
  promote(id: string, name: string): void {
    this.db.prepare('UPDATE specializations SET name = ?, derived_from = NULL WHERE id = ?').run(name, id);
  }

  insert(s: Specialization): void {
    const { id, name, hash, components, derivedFrom, createdAt, ...parts } = s;
    this.db
      .prepare(`INSERT INTO specializations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(id, name, hash, JSON.stringify(parts), JSON.stringify(components), derivedFrom, createdAt);
  }
}

function fromRow(r: Row): Specialization {
  const parts = SpecializationParts.safeParse(JSON.parse(r.parts));
  const components = Components.safeParse(JSON.parse(r.components));
  if (!parts.success || !components.success)
    throw new BugError(`The specializations row ${r.id} does not match its schema`);
  return {
    ...parts.data,
    id: r.id,
    name: r.name,
    hash: r.hash,
    components: components.data,
    derivedFrom: r.derived_from,
    createdAt: r.created_at,
  };
}
