// Starting a robustness probe: the split's rows (up to the limit) are perturbed kind by kind into a new dataset
// version whose lineage records the source, split, limit, seed and kinds; then two comparison experiments run the
// specializations on the clean rows and on the variants through the experiments service, whose outputs are keyed
// by content (so the clean run reuses outputs stored by earlier experiments).
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetLineage, DatasetVersion, ImportDataset, ImportResult } from '../../../shared/contract/datasets';
import type { Experiment, ExperimentSpecIn } from '../../../shared/contract/experiments';
import type { Probe, ProbeSpec } from '../../../shared/contract/robustness';
import { UserError } from '../../../shared/errors';
import type { DatasetReader } from '../templates';
import { PROBE_KIND_FIELD, PROBE_SOURCE_FIELD, variantRows } from './probe-analysis';

export interface ProbeDeps {
  readonly datasets: DatasetReader & { get(arg: { versionId: string }): Promise<DatasetVersion> };
  readonly importDataset: (arg: ImportDataset, lineage: DatasetLineage) => Promise<ImportResult>;
  readonly experiments: {
    create(spec: ExperimentSpecIn): Promise<Experiment>;
    run(arg: { id: string }): Promise<Experiment>;
  };
}

export async function startProbe(
  spec: ProbeSpec,
  workspaceFolder: string,
  deps: ProbeDeps,
  at: string,
  newId: () => string = randomUUID,
): Promise<Probe> {
  const facts = deps.datasets.versionFacts(spec.datasetVersionId);
  const rows = deps.datasets.readRows(
    spec.datasetVersionId,
    spec.split,
    spec.limit === null ? {} : { limit: spec.limit },
  );
  if (rows.length === 0)
    throw new UserError(`The ${spec.split} split of ${facts.name} v${facts.version} has no rows to perturb`, {
      code: 'probe-empty',
      where: 'split',
      hint: 'Choose a split with rows.',
    });
  if (facts.roles.input.length === 0)
    throw new UserError(`${facts.name} v${facts.version} has no input field to perturb`, {
      code: 'probe-inputs',
      where: 'datasetVersionId',
      hint: 'Import the dataset with at least one field in the input role.',
    });
  const version = await deps.datasets.get({ versionId: spec.datasetVersionId });
  const clash = version.fields.find((f) => f.name === PROBE_KIND_FIELD || f.name === PROBE_SOURCE_FIELD);
  if (clash)
    throw new UserError(`${facts.name} already has a field named ${clash.name}, which probes use`, {
      code: 'probe-field',
      where: 'datasetVersionId',
      hint: 'Re-import the dataset with that field renamed.',
    });
  const id = newId();
  const variants = variantRows(rows, facts.roles, spec.kinds, spec.seed);
  // Write-then-rename: the import reads a complete file or none.
  const folder = join(workspaceFolder, 'probes');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${id}.jsonl`);
  writeFileSync(`${file}.tmp`, variants.map((r) => JSON.stringify(r)).join('\n') + '\n');
  renameSync(`${file}.tmp`, file);
  const imported = await deps.importDataset(
    {
      newName: `${facts.name} probe ${id.slice(0, 8)}`,
      message: `Robustness probe "${spec.name}": ${spec.kinds.join(', ')} variants of ${rows.length} ${spec.split} rows of ${facts.name} v${facts.version}, seed ${spec.seed}`,
      files: [{ path: file, split: spec.split }],
      mapping: [
        ...version.fields.map((f) => ({ source: f.name, name: f.name, role: f.role })),
        { source: PROBE_KIND_FIELD, name: PROBE_KIND_FIELD, role: 'none' as const },
        { source: PROBE_SOURCE_FIELD, name: PROBE_SOURCE_FIELD, role: 'none' as const },
      ],
      split: { kind: 'given' },
    },
    {
      kind: 'robustness-probe',
      sourceVersionId: spec.datasetVersionId,
      sourceVersion: facts.version,
      split: spec.split,
      limit: spec.limit,
      seed: spec.seed,
      kinds: spec.kinds,
    },
  );
  const common = {
    split: spec.split,
    design: { kind: 'compare' as const, specializationIds: spec.specializationIds },
    metrics: spec.metrics,
    seed: spec.seed,
  };
  const clean = await deps.experiments.create({
    ...common,
    name: `${spec.name}: clean`,
    datasetVersionId: spec.datasetVersionId,
    limit: spec.limit,
  });
  const probed = await deps.experiments.create({
    ...common,
    name: `${spec.name}: perturbed`,
    datasetVersionId: imported.version.id,
    limit: null,
  });
  await deps.experiments.run({ id: clean.id });
  await deps.experiments.run({ id: probed.id });
  return {
    id,
    spec,
    variantsVersionId: imported.version.id,
    cleanExperimentId: clean.id,
    probeExperimentId: probed.id,
    createdAt: at,
  };
}
