// The Adapters screen's data: adapter versions, training jobs (live through onProgress/onJobChanged) and the models
// (live through models.onChanged).
import { useEffect } from 'react';
import type { TrainingJob } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { useModelList } from '../models/useModels';

export function useAdapters() {
  const api = useApi();
  const adapters = useLoad((a) => a.adapters.list({}));
  const jobs = useLoad((a) => a.adapters.jobs({}));
  const models = useModelList();
  const { reload: reloadAdapters } = adapters;
  const { reload: reloadJobs, set: setJobs } = jobs;
  const current = jobs.data;
  useEffect(() => api.adapters.onChanged(() => reloadAdapters()), [api, reloadAdapters]);
  useEffect(() => api.adapters.onJobChanged(() => reloadJobs()), [api, reloadJobs]);
  useEffect(
    () =>
      api.adapters.onProgress(({ jobId, progress }) => {
        if (!current) return;
        const next = current.map((j): TrainingJob => {
          if (j.id !== jobId) return j;
          const train = [
            ...j.history.train.filter((x) => x.step < progress.step),
            ...(progress.loss === null ? [] : [{ step: progress.step, loss: progress.loss }]),
          ];
          const validation = [
            ...j.history.validation.filter((x) => x.step < progress.step),
            ...(progress.valLoss === null ? [] : [{ step: progress.step, loss: progress.valLoss }]),
          ];
          return { ...j, progress, history: { train, validation } };
        });
        if (next.some((j) => j.id === jobId)) setJobs(next);
        else reloadJobs();
      }),
    [api, current, setJobs, reloadJobs],
  );
  return { adapters, jobs, models };
}
