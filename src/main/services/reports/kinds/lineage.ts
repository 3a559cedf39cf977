// Lineage shared by the report kinds: a dataset version with its split and rows, adapters with what they were trained
// on, each object once, and the manifest with who made the report and when.
import type { CallContext } from '../../../../shared/contract/define';
import type { LineageManifest, LineageObject } from '../../../../shared/lineage';
import { manifest, type ManifestSubject } from '../../lineage/specialization-lineage';
import type { DatasetFacts, LineageDeps, MadeBy } from './deps';

export function datasetObject(
  d: DatasetFacts,
  split: 'train' | 'validation' | 'test',
  used: number | null,
  role: string,
): LineageObject {
  return {
    kind: 'datasetVersion',
    id: d.id,
    name: `${d.name} v${d.version}`,
    hash: d.contentHash,
    detail: { role, split, 'rows in split': d.splits[split], ...(used === null ? {} : { 'rows used': used }) },
  };
}

/** Each object once (by kind and id), the first occurrence kept. */
export function unique(objects: readonly LineageObject[]): LineageObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = `${o.kind}:${o.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adapters gain what they were trained on (dataset version, rows, template) or that they were imported. */
export async function withTrainingData(objects: readonly LineageObject[], deps: LineageDeps): Promise<LineageObject[]> {
  const out: LineageObject[] = [];
  for (const o of objects) out.push(await trainingData(o, deps));
  return out;
}

async function trainingData(o: LineageObject, deps: LineageDeps): Promise<LineageObject> {
  if (o.kind !== 'adapter') return o;
  let trained: ReturnType<LineageDeps['trainedOn']>;
  try {
    trained = deps.trainedOn(o.id);
  } catch {
    return { ...o, detail: { ...o.detail, 'trained on': 'not in this workspace any more' } };
  }
  if (trained === null) return { ...o, detail: { ...o.detail, 'trained on': 'imported: not trained here' } };
  let data = 'a bundled dataset or a file';
  if (trained.datasetVersionId !== null) {
    try {
      const d = await deps.datasetFacts(trained.datasetVersionId);
      data = `${d.name} v${d.version} (sha256 ${d.contentHash}), train split${trained.maxRows === null ? '' : `, first ${trained.maxRows} rows`}`;
    } catch {
      data = `dataset version ${trained.datasetVersionId}, since removed`;
    }
  }
  return { ...o, detail: { ...o.detail, 'trained on': data } };
}

export function reportManifest(
  subject: ManifestSubject,
  objects: readonly LineageObject[],
  made: MadeBy,
  ctx: CallContext | undefined,
): LineageManifest {
  const id = ctx?.userId ?? null;
  return manifest(subject, unique(objects), {
    appVersion: made.appVersion,
    actor: { id, name: id === null ? 'local user' : (made.userName(id) ?? id) },
    at: made.clock(),
  });
}
