// The dispatcher's audit hook: for each call the permission table marks `mutates`, notes the content hashes of the
// objects its arguments name before it runs, and once it has succeeded appends who, what, when, the redacted
// arguments and the objects with their before/after hashes to the log of the workspace open at that moment.
import type { AuditActor, AuditObject } from '../../../shared/contract/audit';
import type { CallContext } from '../../../shared/contract/define';
import type { Permission } from '../../../shared/contract/permissions';
import type { SqlDatabase } from '../../platform/db';
import { appendEntry } from './audit-log';
import { redactArgs } from './redaction';

export interface AuditRecorderDeps {
  readonly permissions: (service: string, method: string) => Permission | undefined;
  /** The open workspace's db (undefined: none open; such a call is not recorded). */
  readonly db: () => SqlDatabase | undefined;
  readonly userName: (id: string) => string | undefined;
  readonly clock: () => Date;
}

/** Tables whose rows carry a content hash, by their id (ids are UUIDs, so one id names at most one row). */
const HASHED: readonly { table: string; column: string }[] = [
  { table: 'models', column: 'content_hash' },
  { table: 'dataset_versions', column: 'content_hash' },
  { table: 'template_versions', column: 'content_hash' },
  { table: 'demonstration_set_versions', column: 'content_hash' },
  { table: 'specializations', column: 'hash' },
  { table: 'releases', column: 'spec_hash' },
];
const HASH_QUERY = HASHED.map(({ table, column }) => `SELECT ${column} AS hash FROM ${table} WHERE id = @id`).join(
  ' UNION ALL ',
);

const MAX_ID = 200;

export class AuditRecorder {
  constructor(private readonly deps: AuditRecorderDeps) {}

  /** Called before a call runs; the function it gives (for mutating calls) records the call once it has succeeded. */
  begin(service: string, method: string, arg: unknown, ctx: CallContext): ((result: unknown) => void) | undefined {
    if (!this.deps.permissions(service, method)?.mutates) return undefined;
    const named = idsIn(arg);
    const before = hashes(this.deps.db(), named);
    return (result) => {
      const db = this.deps.db();
      if (!db) return; // closed (workspace.close) or never open (settings with no workspace): nothing to write to
      const ids = [...new Set([...named, ...idsIn(result)])];
      const after = hashes(db, ids);
      const objects: AuditObject[] = ids.map((id) => ({
        id,
        ...optional('before', before.get(id)),
        ...optional('after', after.get(id)),
      }));
      appendEntry(db, {
        at: this.deps.clock().toISOString(),
        actor: this.actor(ctx),
        method: `${service}.${method}`,
        args: redactArgs(service, method, arg),
        objects,
      });
    };
  }

  private actor(ctx: CallContext): AuditActor {
    const actor = ctx.actor;
    if (!actor || actor.kind === 'app') return { kind: 'nobody', transport: ctx.transport };
    const name = this.deps.userName(actor.userId);
    return {
      kind: actor.kind,
      userId: actor.userId,
      ...optional('name', name),
      transport: ctx.transport,
      ...(actor.kind === 'link' ? { roundId: actor.roundId } : {}),
    };
  }
}

/** The ids an argument or result names at its top level: `id`, `somethingId` and `somethingIds`. */
export function idsIn(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'id' || key.endsWith('Id')) && typeof item === 'string') ids.push(item);
    else if (key.endsWith('Ids') && Array.isArray(item))
      ids.push(...item.filter((x): x is string => typeof x === 'string'));
  }
  return ids.filter((id) => id.length > 0 && id.length <= MAX_ID);
}

function hashes(db: SqlDatabase | undefined, ids: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  if (!db) return found;
  for (const id of ids) {
    const row = db.prepare<{ hash: string }>(HASH_QUERY).get({ id });
    if (row) found.set(id, row.hash);
  }
  return found;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
