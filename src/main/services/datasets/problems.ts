// How bad rows reach the user: one UserError whose message names the first file, line and reason and lists the next
// few (ErrorShape has no list field), with `where` = "path:line" so the screen can point at it.
import type { RowProblem } from '../../../shared/contract/datasets';
import { UserError, assert } from '../../../shared/errors';

/** Problems listed in the message after the first. */
const LISTED = 5;

export function rowProblemsError(
  problems: readonly RowProblem[],
  paths: ReadonlyMap<string, string>,
  capped: boolean,
): UserError {
  const first = problems[0];
  assert(first, 'rowProblemsError needs at least one problem');
  const line = (p: RowProblem) =>
    p.line > 0 ? `${p.unit === 'row' ? 'Row' : 'Line'} ${p.line} of ${p.file} ${p.reason}` : `${p.file} ${p.reason}`;
  const listed = problems.slice(1, 1 + LISTED).map((p) => `- ${line(p)}`);
  const unlisted = problems.length - 1 - listed.length;
  const tail = capped
    ? [`- and more: reading stopped after ${problems.length} problems`]
    : unlisted > 0
      ? [`- and ${unlisted} more`]
      : [];
  const count = problems.length > 1 ? ` ${capped ? 'At least ' : ''}${problems.length} problems.` : '';
  const message = [`${line(first)}.${count} Nothing was imported.`, ...listed, ...tail].join('\n');
  return new UserError(message, {
    code: 'dataset-rows',
    where:
      first.line > 0 ? `${paths.get(first.file) ?? first.file}:${first.line}` : (paths.get(first.file) ?? first.file),
    hint: first.hint ?? 'Fix these lines in the file (or change the field mapping), then import again.',
  });
}
