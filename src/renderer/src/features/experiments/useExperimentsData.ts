// The Experiments section's data: experiments (kept live by onChanged and onProgress), specializations, and what the
// dialogs choose from (models, adapters, templates, demonstration sets, datasets), each reloaded when it changes.
import { useEffect, useMemo, useState } from 'react';
import type { Experiment, ExperimentProgress } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';

export function useExperiments() {
  const api = useApi();
  const experiments = useLoad((a) => a.experiments.list({}));
  const [progress, setProgress] = useState<Record<string, ExperimentProgress>>({});
  const { reload } = experiments;
  useEffect(() => api.experiments.onChanged(() => reload()), [api, reload]);
  useEffect(
    () => api.experiments.onProgress(({ id, progress: p }) => setProgress((all) => ({ ...all, [id]: p }))),
    [api],
  );
  // The newest progress wins: an event newer than the list, or the list's own once reloaded after the run.
  const list = useMemo(
    () =>
      experiments.data?.map((e): Experiment => {
        const live = progress[e.id];
        return live && e.state === 'running' && (e.progress === null || live.done >= e.progress.done)
          ? { ...e, progress: live }
          : e;
      }),
    [experiments.data, progress],
  );
  return { ...experiments, data: list };
}

export function useSpecializations() {
  const api = useApi();
  const specializations = useLoad((a) => a.specializations.list({}));
  const { reload } = specializations;
  useEffect(() => api.specializations.onChanged(() => reload()), [api, reload]);
  return specializations;
}

/** What the "New specialization" dialog offers. */
export function useSpecializationParts() {
  const api = useApi();
  const models = useLoad((a) => a.models.list({}));
  const adapters = useLoad((a) => a.adapters.list({}));
  const templates = useLoad((a) => a.templates.list({}));
  const demonstrations = useLoad((a) => a.templates.demonstrationSets({}));
  const reloadModels = models.reload;
  const reloadAdapters = adapters.reload;
  const reloadTemplates = templates.reload;
  const reloadDemonstrations = demonstrations.reload;
  useEffect(() => api.models.onChanged(() => reloadModels()), [api, reloadModels]);
  useEffect(() => api.adapters.onChanged(() => reloadAdapters()), [api, reloadAdapters]);
  useEffect(
    () =>
      api.templates.onChanged(({ kind }) => {
        if (kind === 'template') reloadTemplates();
        else reloadDemonstrations();
      }),
    [api, reloadTemplates, reloadDemonstrations],
  );
  return { models, adapters, templates, demonstrations };
}

export function useDatasets() {
  const api = useApi();
  const datasets = useLoad((a) => a.datasets.list({}));
  const { reload } = datasets;
  useEffect(() => api.datasets.onChanged(() => reload()), [api, reload]);
  return datasets;
}
