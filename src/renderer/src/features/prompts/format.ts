// How dates and save errors read on the Prompts screen (pure).
import { UserError } from '../../../../shared/errors';

/** "2025-03-14 09:26" in local time: versions are told apart by minutes, not by seconds. */
export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Which part of the template form a save error belongs to: the name (validation "templates.save: name" or the
 * service's "name"), the source (a parse error, or validation of the source), or neither.
 */
export function saveErrorPart(error: unknown): 'name' | 'source' | null {
  if (!(error instanceof UserError)) return null;
  const where = error.where?.replace(/^templates\.save: /, '');
  if (where === 'name') return 'name';
  if (where === 'source' || error.code === 'template-syntax') return 'source';
  return null;
}
