// Finds a report's subject by id or by the name people gave it, the way the CLI is used: exact id first, then exact
// name, then a name that matches ignoring case. Several matches are refused by name, never picked at random.
import type { ReportSubject } from '../../../shared/contract/reports';
import { UserError } from '../../../shared/errors';

export function resolveSubject(kind: string, idOrName: string, subjects: readonly ReportSubject[]): ReportSubject {
  const byId = subjects.find((s) => s.id === idOrName);
  if (byId) return byId;
  const exact = subjects.filter((s) => s.name === idOrName);
  const matches = exact.length > 0 ? exact : subjects.filter((s) => s.name.toLowerCase() === idOrName.toLowerCase());
  if (matches.length === 1) return matches[0] as ReportSubject;
  const known = subjects.slice(0, 8).map((s) => `"${s.name}"`);
  if (matches.length === 0)
    throw new UserError(`No ${kind} named "${idOrName}" to report on`, {
      code: 'report-subject-not-found',
      where: idOrName,
      hint: known.length === 0 ? `This workspace has no ${kind} to report on yet.` : `Known: ${known.join(', ')}.`,
    });
  throw new UserError(`${matches.length} ${kind}s are named "${idOrName}"`, {
    code: 'report-subject-ambiguous',
    where: idOrName,
    hint: `Pass the id instead: ${matches.map((m) => m.id).join(', ')}.`,
  });
}
