// `dovetail audit verify <folder>` (or `--workspace <folder>`): walks the workspace's audit chain and exits 1 at the
// first broken link, naming the entry and what is wrong; prints the head (last entry and its hash) to keep elsewhere.
import type { Api } from '../../shared/contract';
import { UserError } from '../../shared/errors';

export async function runAudit(
  api: Api,
  action: string | undefined,
  folder: string | undefined,
  o: { log: (...lines: string[]) => void },
): Promise<number> {
  if (action !== 'verify')
    throw new UserError(`Unknown audit action "${action ?? ''}"`, { hint: 'Use: audit verify <workspace folder>' });
  // Opening is a recorded change like any other: the entry it adds is chained on the head before the walk.
  if (folder) await api.workspace.open({ path: folder });
  const current = await api.workspace.current({});
  if (!current)
    throw new UserError('audit verify needs a workspace', {
      where: 'workspace',
      hint: 'Name the workspace folder: audit verify DIR.',
    });
  const result = await api.audit.verify({});
  if (!result.ok) {
    o.log(
      `Audit chain of ${current.path} is BROKEN after ${result.checked} intact entries.`,
      result.broken?.problem ?? '',
    );
    return 1;
  }
  o.log(
    `Audit chain of ${current.path} is intact: ${result.checked} entries.`,
    `Head: entry ${result.head.seq}, hash ${result.head.hash}`,
    'Keep the head elsewhere: a later head must continue from it (a rewrite of the whole log by someone with the ' +
      'file is only caught that way).',
  );
  return 0;
}
