// Contamination guards that span services: train/evaluation overlap (overlap.ts), and the adapters of an
// experiment's specializations with the dataset rows each was trained on (for the experiment's results).
import type { Experiment } from '../../../shared/contract/experiments';
import type { Specialization } from '../../../shared/contract/specializations';

export { OverlapIndex, normaliseText, type Overlap, type OverlapDeps } from './overlap';

export interface TrainedAdapterSource {
  record(id: string): { name: string };
  trainedOn(id: string): { datasetVersionId: string | null; maxRows: number | null } | null;
}

/** Every adapter of the experiment's cells that was trained here on a dataset version, once each. */
export function trainedAdapters(
  experiment: Experiment,
  specializations: { specialization(id: string): Specialization },
  adapters: TrainedAdapterSource,
): { name: string; datasetVersionId: string; maxRows: number | null }[] {
  const ids = new Set<string>();
  for (const cell of experiment.cells) {
    let spec: Specialization;
    try {
      spec = specializations.specialization(cell.specializationId);
    } catch {
      continue; // removed since: nothing to say about it
    }
    for (const id of [spec.loraAdapterId, spec.softPromptAdapterId]) if (id !== null) ids.add(id);
  }
  return [...ids].flatMap((id) => {
    try {
      const source = adapters.trainedOn(id);
      return source?.datasetVersionId
        ? [{ name: adapters.record(id).name, datasetVersionId: source.datasetVersionId, maxRows: source.maxRows }]
        : [];
    } catch {
      return []; // an adapter removed since
    }
  });
}
