// How an audit entry's actor and objects read for people, the same in the Audit section and in CSV exports.
import type { AuditActor, AuditObject } from './contract/audit';

export function actorLabel(actor: AuditActor): string {
  if (actor.kind === 'app') return 'Dovetail (scheduled)';
  if (actor.kind === 'nobody') return `nobody (${actor.transport === 'cli' ? 'command line' : actor.transport})`;
  const name = actor.name ?? actor.userId ?? 'unknown profile';
  return actor.kind === 'link' ? `${name} (review link)` : name;
}

/** "id" or "id (before -> after)" with hashes shortened to 12 characters where the object has a content hash. */
export function objectLabel(object: AuditObject, full = false): string {
  if (object.before === undefined && object.after === undefined) return object.id;
  const h = (hash: string | undefined): string => (hash === undefined ? '-' : full ? hash : hash.slice(0, 12));
  return `${object.id} (${h(object.before)} -> ${h(object.after)})`;
}
