// Download jobs kept in the user-data folder (`hub/jobs/<id>.json`), one JSON file each, written atomically at every
// change of state, so a job survives the app being killed: on the next start a job that was running reads as
// interrupted, and the bytes already in its part files are kept for resume.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DownloadState } from '../../../shared/contract/hub';
import { DownloadJob } from '../../../shared/contract/hub';
import { removeQuietly, writeJsonAtomic } from '../../platform/files/atomic';

export const StoredFile = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().nullable(),
  gitOid: z.string().nullable(),
  verified: z.boolean(),
  /** The ETag its part file's bytes came with. */
  etag: z.string().nullable(),
});
export type StoredFile = z.infer<typeof StoredFile>;

/** The contract's job without the figures computed from the files, with what resuming and verifying need per file. */
export const StoredJob = DownloadJob.omit({ files: true, bytesDone: true, bytesTotal: true }).extend({
  files: z.array(StoredFile),
});
export type StoredJob = z.infer<typeof StoredJob>;

/** States a running app owns; found in a file at start-up, the app that ran them has gone. */
const LIVE: readonly DownloadState[] = ['running', 'pausing', 'verifying', 'registering'];

export class DownloadJobFiles {
  constructor(
    private readonly folder: string,
    private readonly warn: (message: string) => void,
  ) {}

  async save(job: StoredJob): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    await writeJsonAtomic(this.fileOf(job.id), job);
  }

  async remove(id: string): Promise<void> {
    await removeQuietly(this.fileOf(id));
  }

  /** Every saved job; one that was live reads as interrupted. A damaged file is skipped with a warning. */
  async load(): Promise<StoredJob[]> {
    const names = await fs.readdir(this.folder).catch(() => [] as string[]);
    const jobs: StoredJob[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(this.folder, name);
      try {
        const job = StoredJob.parse(JSON.parse(await fs.readFile(file, 'utf8')));
        jobs.push(LIVE.includes(job.state) ? { ...job, state: 'interrupted' } : job);
      } catch (error) {
        this.warn(`${file} is not a readable download job (${String(error)}); it is ignored.`);
      }
    }
    return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private fileOf(id: string): string {
    return path.join(this.folder, `${id}.json`);
  }
}
