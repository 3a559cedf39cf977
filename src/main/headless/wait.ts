// Waiting in the headless commands for work the contract only starts (training jobs, experiment runs), showing
// progress bars from their events and polling their state (events alone could be missed before subscribing).
import type { Api, Experiment, TrainingJob } from '../../shared/contract';
import { duration, progressBar } from './progress';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForJob(api: Api, jobId: string, title: string): Promise<TrainingJob> {
  const bar = progressBar(title);
  const off = api.adapters.onProgress(({ jobId: id, progress: p }) => {
    if (id === jobId)
      bar.update(
        p.step,
        p.totalSteps,
        `loss ${p.loss?.toFixed(3) ?? '-'} val ${p.valLoss?.toFixed(3) ?? '-'} | ${p.tokensPerSecond.toFixed(0)} tok/s | ETA ${duration(p.etaSeconds)}`,
      );
  });
  try {
    for (;;) {
      const job = await api.adapters.job({ id: jobId });
      if (!['running', 'pausing', 'checking'].includes(job.state)) return job;
      await sleep(500);
    }
  } finally {
    off();
    bar.stop();
  }
}

export async function waitForExperiment(api: Api, id: string, title: string): Promise<Experiment> {
  const bar = progressBar(title);
  const off = api.experiments.onProgress(({ id: eid, progress: p }) => {
    if (eid === id)
      bar.update(
        p.done,
        p.total,
        `${p.cell ?? ''} | ${p.rowsPerSecond?.toFixed(1) ?? '-'} rows/s | ETA ${duration(p.etaSeconds)}${p.reused > 0 ? ` | ${p.reused} reused` : ''}`,
      );
  });
  try {
    for (;;) {
      const e = await api.experiments.get({ id });
      if (e.state !== 'running') return e;
      await sleep(500);
    }
  } finally {
    off();
    bar.stop();
  }
}
