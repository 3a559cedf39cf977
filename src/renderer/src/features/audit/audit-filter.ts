// The Audit section's filter form as typed (text boxes, local date-times) and the contract filter it stands for.
import type { AuditFilter } from '../../../../shared/contract';

export interface FilterDraft {
  actor: string;
  method: string;
  objectId: string;
  /** `<input type="datetime-local">` values: local time without a zone. */
  from: string;
  to: string;
}

export const EMPTY_FILTER: FilterDraft = { actor: '', method: '', objectId: '', from: '', to: '' };

/** Blank fields are left out; local times become ISO times with their zone (an unreadable one is left out too). */
export function toFilter(draft: FilterDraft): AuditFilter {
  const filter: AuditFilter = {};
  if (draft.actor.trim()) filter.actor = draft.actor.trim();
  if (draft.method.trim()) filter.method = draft.method.trim();
  if (draft.objectId.trim()) filter.objectId = draft.objectId.trim();
  const from = isoTime(draft.from);
  const to = isoTime(draft.to, true);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

/** A minute picked as "to" includes that whole minute. */
function isoTime(local: string, endOfMinute = false): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  if (endOfMinute && date.getSeconds() === 0 && date.getMilliseconds() === 0) date.setSeconds(59, 999);
  return date.toISOString();
}

/** The arguments in one line for the table (the full JSON is in the export). */
export function argsSummary(args: unknown, max = 160): string {
  const text = args === null || args === undefined ? '' : JSON.stringify(args);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
