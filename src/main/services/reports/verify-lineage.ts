// Checks a report's lineage against the workspace as it is now: each object with a content hash is looked up by kind
// and id and its hash computed again (a dataset's from its stored rows), so a row changed after the report was made
// fails the check and the problem names the object.
import type { ReportCheck, ReportVerification } from '../../../shared/contract/reports';
import type { LineageKind, LineageManifest } from '../../../shared/lineage';
import { KIND_LABELS } from '../../../shared/lineage-table';

/** The object's content hash now; undefined when the workspace no longer has it. */
export type CurrentHash = (kind: LineageKind, id: string) => Promise<string | undefined>;

export async function verifyLineage(lineage: LineageManifest, current: CurrentHash): Promise<ReportVerification> {
  const checks: ReportCheck[] = [];
  for (const o of lineage.objects) {
    const kind = KIND_LABELS[o.kind] ?? o.kind;
    if (o.hash === null) {
      checks.push({ kind, name: o.name, expected: null, actual: null, status: 'unchecked' });
      continue;
    }
    const actual = await current(o.kind, o.id).catch(() => undefined);
    const status = actual === undefined ? 'missing' : actual === o.hash ? 'ok' : 'changed';
    checks.push({ kind, name: o.name, expected: o.hash, actual: actual ?? null, status });
  }
  const problems = checks.flatMap((c) =>
    c.status === 'changed'
      ? [
          `${c.kind.toLowerCase()} ${c.name} changed since the report was made (sha256 ${short(c.expected)} then, ${short(c.actual)} now)`,
        ]
      : c.status === 'missing'
        ? [`${c.kind.toLowerCase()} ${c.name} is not in this workspace`]
        : [],
  );
  return { ok: problems.length === 0, checks, problems };
}

const short = (hash: string | null): string => (hash === null ? '—' : hash.replace(/^sha256:/, '').slice(0, 12));
