// The lineage of an experiment's report: the experiment (design, split, seed), its dataset version with its content
// hash and row count, and every part of every configuration compared, each once; a remote experiment names the server
// that generated its outputs, each cell's model name there and what it served when checked; a model-graded metric's
// judge specialization and its parts are listed too, the judge marked as the judge of that metric.
import type { Experiment } from '../../../shared/contract/experiments';
import type { LineageObject } from '../../../shared/lineage';
import { metricLabel } from '../../../shared/metrics';
import { describeWeightFormats } from '../../../shared/weight-format';
import { describeRemoteServer } from '../../../shared/remote-engine';

export interface ExperimentLineageSources {
  dataset(versionId: string): {
    id: string;
    name: string;
    version: number;
    contentHash: string;
    splits: Record<'train' | 'validation' | 'test', number>;
  };
  specialization(id: string): Promise<LineageObject[]>;
}

export async function experimentObjects(
  e: Experiment,
  n: number,
  sources: ExperimentLineageSources,
): Promise<LineageObject[]> {
  const d = sources.dataset(e.spec.datasetVersionId);
  const objects: LineageObject[] = [
    {
      kind: 'experiment',
      id: e.id,
      name: e.name,
      hash: null,
      detail: {
        design: e.spec.design.kind,
        seed: e.spec.seed,
        created: e.createdAt,
        finished: e.updatedAt,
        metrics: e.spec.metrics.map((m) => metricLabel(m)).join(', '),
        ...(e.spec.remote ? remoteDetail(e, e.spec.remote) : { weights: describeWeightFormats(e.cells) }),
      },
    },
    {
      kind: 'datasetVersion',
      id: d.id,
      name: `${d.name} v${d.version}`,
      hash: d.contentHash,
      detail: { split: e.spec.split, 'rows in split': d.splits[e.spec.split], 'rows used': n },
    },
  ];
  const seen = new Set(objects.map((o) => `${o.kind}:${o.id}`));
  for (const cell of e.cells) {
    for (const o of await sources.specialization(cell.specializationId)) {
      const key = `${o.kind}:${o.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      objects.push(o);
    }
  }
  for (const m of e.spec.metrics) {
    if (m.kind !== 'judge') continue;
    // A judge removed since the run is left out (the results still name it, with its hash).
    const judged = await sources.specialization(m.judge).catch(() => []);
    for (const o of judged) {
      const key = `${o.kind}:${o.id}`;
      const seenAt = objects.findIndex((x) => `${x.kind}:${x.id}` === key);
      const marked = o.kind === 'specialization' && o.id === m.judge;
      if (seenAt >= 0) {
        const x = objects[seenAt] as LineageObject;
        if (marked) objects[seenAt] = { ...x, detail: { ...x.detail, 'judge of': metricLabel(m) } };
        continue;
      }
      objects.push(marked ? { ...o, detail: { ...o.detail, 'judge of': metricLabel(m) } } : o);
    }
  }
  return objects;
}

function remoteDetail(e: Experiment, remote: NonNullable<Experiment['spec']['remote']>) {
  return {
    server: describeRemoteServer(remote),
    'server models': e.cells.map((c) => `${c.label}: ${remote.models[c.specializationId] ?? '?'}`).join('; '),
    'served when checked': remote.identity ? remote.identity.models.map((m) => m.id).join(', ') : null,
    'server checked': remote.identity?.checkedAt ?? null,
  };
}
