// `models add-hub <repo> [--revision R] [--name N]`: downloads a Hub checkpoint through the hub service, with a
// progress bar, and adds it to the workspace (--workspace). Ctrl+C leaves the job interrupted; running the command
// again resumes it from the bytes on disk. Exit 1 when the download fails or is interrupted.
import type { Api, DownloadJob } from '../../shared/contract';
import { progressBar } from './progress';

export interface AddHubOptions {
  readonly revision?: string | undefined;
  readonly name?: string | undefined;
  readonly log: (...lines: string[]) => void;
}

const ENDED: readonly DownloadJob['state'][] = ['completed', 'failed', 'interrupted', 'paused', 'cancelled'];

export async function runAddHub(api: Api, repo: string, options: AddHubOptions): Promise<number> {
  const bar = progressBar('Downloading');
  let jobId: string | null = null;
  const ended = new Promise<void>((resolve) => {
    const stopProgress = api.hub.onProgress((p) => {
      if (p.jobId !== jobId || p.bytesTotal === 0) return;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
      bar.update(
        Math.floor((100 * p.bytesDone) / p.bytesTotal),
        100,
        `% ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB ${p.file}`,
      );
    });
    const stopChanges = api.hub.onJobChanged((change) => {
      if (change.jobId !== jobId || !ENDED.includes(change.state)) return;
      stopProgress();
      stopChanges();
      resolve();
    });
  });
  const started = await api.hub.download({
    repo,
    ...(options.revision ? { revision: options.revision } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  jobId = started.id;
  if (!ENDED.includes(started.state)) await ended;
  bar.stop();
  const job = (await api.hub.jobs({})).find((j) => j.id === started.id) ?? started;
  if (job.state === 'completed') {
    const resumed = job.resumes > 0 ? `, resumed ${job.resumes}x after dropped connections` : '';
    options.log(`Added ${job.repo}@${job.commit ?? job.revision} as a model (${job.modelId ?? '?'})${resumed}.`);
    options.log(`Files: ${job.folder} (every file matched the Hub's checksum)`);
    return 0;
  }
  options.log(
    `Download ${job.state}: ${job.error?.message ?? ''}`,
    ...(job.error?.hint ? [`Hint: ${job.error.hint}`] : []),
  );
  return 1;
}
