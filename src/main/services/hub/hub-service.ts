// The hub service (hubContract): download jobs that fetch a Hub repo's checkpoint into the user-data folder and,
// once every file's checksum matches the Hub's listing, add it as a model of the open workspace. A dropped connection
// is resumed from the bytes on disk (a few times, then the job waits as interrupted); pause, resume and cancel act
// between chunks; offline mode never touches the network; the disk must have room for the rest before it starts.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { DownloadJob, DownloadState, HubStatus, hubContract } from '../../../shared/contract/hub';
import type { HubSettings } from '../../../shared/contract/settings';
import { CancelledError, UserError } from '../../../shared/errors';
import { removeQuietly } from '../../platform/files/atomic';
import { DownloadJobFiles, type StoredFile, type StoredJob } from './download-jobs';
import { hubError, hubFetch, snapshot, unreachable, type HubConnection } from './hub-client';
import { checksumMatches, downloadPart, DroppedError, HubStatusError, StalledError } from './ranged-download';
import type { TokenStore } from './token-store';

type Contract = typeof hubContract;

export interface HubServiceDeps {
  /** Downloads live in `<userDataDir>/hub/`. */
  readonly userDataDir: string;
  readonly settings: () => HubSettings;
  readonly tokens: TokenStore;
  readonly events: EventSink<Contract>;
  /** Adds a verified folder as a model of the open workspace (models.add). */
  readonly register: (folder: string, name: string) => Promise<{ id: string }>;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Free bytes on the file system holding `folder`. */
  readonly freeBytes?: (folder: string) => Promise<number>;
  /** Waits before resuming after a drop (tests make it instant). */
  readonly backoff?: (attempt: number) => Promise<void>;
  readonly warn?: (message: string) => void;
}

/** Consecutive failed attempts on one file without a new byte before the job waits for the user as interrupted. */
const MAX_RETRIES = 5;
/** Room left free beyond the download (the model's later quantized copy is not counted). */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;
const PROGRESS_EVERY_MS = 200;

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class HubService implements ServiceImpl<Contract> {
  private readonly root: string;
  private readonly store: DownloadJobFiles;
  private jobsById: Map<string, StoredJob> | null = null;
  private readonly running = new Map<string, Running>();
  /** Bytes on disk per job and file while it downloads (the stored job has only what is verified). */
  private readonly onDisk = new Map<string, Map<string, number>>();

  constructor(private readonly deps: HubServiceDeps) {
    this.root = path.join(deps.userDataDir, 'hub');
    this.store = new DownloadJobFiles(path.join(this.root, 'jobs'), deps.warn ?? (() => undefined));
  }

  async status(): Promise<HubStatus> {
    const { offline, endpoint, proxy, idleTimeoutSeconds } = this.deps.settings();
    return {
      offline,
      endpoint,
      proxy,
      idleTimeoutSeconds,
      tokenStored: await this.deps.tokens.stored(),
      tokenStorage: this.deps.tokens.storage,
    };
  }

  async setToken(arg: { token: string }): Promise<HubStatus> {
    await this.deps.tokens.set(arg.token);
    return this.status();
  }

  async clearToken(): Promise<HubStatus> {
    await this.deps.tokens.clear();
    return this.status();
  }

  async jobs(): Promise<DownloadJob[]> {
    return [...(await this.all()).values()].map((job) => this.view(job));
  }

  async download(arg: {
    repo: string;
    revision?: string | undefined;
    name?: string | undefined;
  }): Promise<DownloadJob> {
    const jobs = await this.all();
    const revision = arg.revision ?? 'main';
    const same = [...jobs.values()].filter((j) => j.repo === arg.repo && j.revision === revision);
    const unfinished = same.find((j) => j.state !== 'completed' && j.state !== 'cancelled');
    if (unfinished) return this.running.has(unfinished.id) ? this.view(unfinished) : this.resume(unfinished);
    if (this.deps.settings().offline) {
      const copy = same.find((j) => j.state === 'completed');
      if (!copy) throw offlineError(`${arg.repo} at ${revision} has not been downloaded yet`);
      // Already verified: register again without the network (the model may have been removed from this workspace).
      return this.launch({ ...copy, state: 'registering', error: null, name: arg.name ?? copy.name });
    }
    const now = this.now();
    const job: StoredJob = {
      id: (this.deps.newId ?? randomUUID)(),
      repo: arg.repo,
      revision,
      commit: null,
      folder: '',
      name: arg.name ?? defaultName(arg.repo, revision),
      state: 'running',
      files: [],
      resumes: 0,
      error: null,
      modelId: null,
      createdAt: now,
      updatedAt: now,
    };
    return this.launch(job);
  }

  async pause(arg: { id: string }): Promise<DownloadJob> {
    const job = await this.find(arg.id);
    const run = this.running.get(job.id);
    if (!run || job.state !== 'running') return this.view(job);
    // Abort first, before any await: the run must not slip past its last check while this call writes a state.
    run.controller.abort('pause');
    this.deps.events.emit('onJobChanged', { jobId: job.id, state: 'pausing' });
    await run.done;
    return this.view(await this.find(job.id));
  }

  async resume(arg: { id: string } | StoredJob): Promise<DownloadJob> {
    const job = await this.find(arg.id);
    if (this.running.has(job.id) || job.state === 'completed' || job.state === 'cancelled') return this.view(job);
    const verified = job.files.length > 0 && job.files.every((f) => f.verified);
    if (this.deps.settings().offline && !verified) throw offlineError(`Resuming ${job.repo} needs the network`);
    return this.launch({ ...job, state: verified ? 'registering' : 'running', error: null });
  }

  async cancel(arg: { id: string }): Promise<DownloadJob> {
    const job = await this.find(arg.id);
    if (job.state === 'completed' || job.state === 'cancelled') return this.view(job);
    const run = this.running.get(job.id);
    run?.controller.abort('cancel');
    await run?.done;
    const { folder } = await this.find(job.id); // the run may have named it meanwhile
    if (folder !== '') await fs.rm(folder, { recursive: true, force: true });
    await this.store.remove(job.id);
    const cancelled = { ...(await this.find(job.id)), state: 'cancelled' as const, updatedAt: this.now() };
    this.jobsById?.set(job.id, cancelled);
    this.deps.events.emit('onJobChanged', { jobId: job.id, state: 'cancelled' });
    return this.view(cancelled);
  }

  /** Stops every running download (kept as interrupted, resumable) when the app closes. */
  async dispose(): Promise<void> {
    const runs = [...this.running.values()];
    runs.forEach((run) => run.controller.abort('close'));
    await Promise.all(runs.map((run) => run.done));
  }

  /** Waits for a job's current run to end (tests and the CLI follow jobs through events otherwise). */
  async settled(id: string): Promise<DownloadJob> {
    await this.running.get(id)?.done;
    return this.view(await this.find(id));
  }

  private async launch(job: StoredJob): Promise<DownloadJob> {
    const started = { ...job, updatedAt: this.now() };
    (await this.all()).set(job.id, started);
    await this.store.save(started);
    this.deps.events.emit('onJobChanged', { jobId: job.id, state: started.state });
    const controller = new AbortController();
    const done = this.run(job.id, controller.signal).finally(() => this.running.delete(job.id));
    this.running.set(job.id, { controller, done });
    return this.view(started);
  }

  private async run(id: string, signal: AbortSignal): Promise<void> {
    const { proxy, endpoint } = this.deps.settings();
    const connection = hubFetch(proxy);
    try {
      const hub: HubConnection = { endpoint, token: await this.deps.tokens.get(), fetch: connection.fetch };
      let job = await this.find(id);
      if (signal.aborted) throw new CancelledError();
      if (job.state === 'running') {
        if (job.commit === null) job = await this.resolve(job, hub);
        await this.checkDiskSpace(job);
        for (const file of job.files) {
          if (!file.verified) await this.fetchFile(job, file, hub, signal);
          if (signal.aborted) throw new CancelledError();
        }
        job = await this.update(id, { state: 'verifying' });
      }
      if (signal.aborted) throw new CancelledError(); // paused or cancelled after the last file: register nothing
      await this.update(id, { state: 'registering' });
      const model = await this.deps.register(job.folder, job.name);
      await this.update(id, { state: 'completed', modelId: model.id });
    } catch (error) {
      await this.stopped(id, signal, error);
    } finally {
      await connection.close();
    }
  }

  /** The commit and files of the job's revision; the folder is per commit, so a moved branch never mixes files. */
  private async resolve(job: StoredJob, hub: HubConnection): Promise<StoredJob> {
    const found = await snapshot(hub, job.repo, job.revision);
    const [owner = '', name = ''] = job.repo.split('/');
    return this.update(job.id, {
      commit: found.commit,
      folder: path.join(this.root, 'models', `${owner}--${name}`, found.commit),
      files: found.files.map((f) => ({ ...f, verified: false, etag: null })),
    });
  }

  private async fetchFile(job: StoredJob, file: StoredFile, hub: HubConnection, signal: AbortSignal): Promise<void> {
    await fs.mkdir(job.folder, { recursive: true });
    const target = path.join(job.folder, file.path);
    const partPath = `${target}.part`;
    const url = `${hub.endpoint}/${job.repo}/resolve/${encodeURIComponent(job.commit ?? job.revision)}/${file.path}`;
    const part = { etag: file.etag };
    let lastProgress = 0;
    for (let failures = 0; ;) {
      const before = this.bytesOnDisk(job.id, file.path);
      try {
        await downloadPart(hub, {
          url,
          file,
          partPath,
          part,
          signal,
          idleMs: this.deps.settings().idleTimeoutSeconds * 1000,
          onBytes: (done) => {
            this.onDiskOf(job.id).set(file.path, done);
            const now = Date.now();
            if (now - lastProgress < PROGRESS_EVERY_MS && done < file.size) return;
            lastProgress = now;
            this.progress(job.id, file.path);
          },
        });
        break;
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (!retryable(error)) throw hubError(error, job.repo, job.revision, hub);
        failures = this.bytesOnDisk(job.id, file.path) > before ? 1 : failures + 1;
        if (failures > MAX_RETRIES)
          throw error instanceof StalledError
            ? stalled(error)
            : error instanceof TypeError
              ? unreachable(hub, error)
              : dropped(file.path);
        const resumes = (await this.find(job.id)).resumes + 1;
        await this.update(job.id, { resumes, files: this.withFile(job.id, file.path, { etag: part.etag }) });
        await (this.deps.backoff ?? defaultBackoff)(failures);
        if (signal.aborted) throw new CancelledError();
      }
    }
    const check = await checksumMatches(partPath, file);
    if (!check.ok) {
      await removeQuietly(partPath);
      this.onDiskOf(job.id).set(file.path, 0);
      throw new UserError(`${file.path} from ${job.repo} does not match the Hub's checksum; it was deleted.`, {
        where: `${job.repo}/${file.path}`,
        hint: `Expected ${file.sha256 !== null ? 'sha256' : 'git blob id'} ${file.sha256 ?? file.gitOid ?? '?'}, got ${check.got}. Resume downloads it again; if it repeats, the server or a proxy alters the file.`,
        code: 'hub-checksum',
      });
    }
    await fs.rename(partPath, target);
    await this.update(job.id, { files: this.withFile(job.id, file.path, { verified: true, etag: part.etag }) });
    this.progress(job.id, file.path);
  }

  private async checkDiskSpace(job: StoredJob): Promise<void> {
    let needed = 0;
    for (const file of job.files) {
      if (file.verified) continue;
      const partSize = await fs.stat(path.join(job.folder, `${file.path}.part`)).then(
        (s) => s.size,
        () => 0,
      );
      this.onDiskOf(job.id).set(file.path, partSize);
      needed += Math.max(0, file.size - partSize);
    }
    await fs.mkdir(job.folder, { recursive: true });
    const free = await (this.deps.freeBytes ?? freeBytesOf)(job.folder);
    if (needed + DISK_MARGIN_BYTES > free)
      throw new UserError(`Not enough disk space for ${job.repo}: it needs ${gb(needed)} more, ${gb(free)} are free.`, {
        where: job.folder,
        hint: 'Free some space on that disk (the weight-cache folder in the user-data folder can go), then resume.',
        code: 'disk-full',
      });
  }

  /** After a run ends without completing: paused, cancelled, interrupted (resumable) or failed, with its error. */
  private async stopped(id: string, signal: AbortSignal, error: unknown): Promise<void> {
    const reason: unknown = signal.aborted ? signal.reason : null;
    if (reason === 'cancel') return; // cancel() deletes the job itself
    if (reason === 'pause') return void (await this.update(id, { state: 'paused' }));
    if (reason === 'close') return void (await this.update(id, { state: 'interrupted' }));
    const user = error instanceof UserError ? error : null;
    const resumable = user?.code === 'hub-unreachable' || user?.code === 'hub-dropped' || user?.code === 'hub-stalled';
    await this.update(id, {
      state: resumable ? 'interrupted' : 'failed',
      error: user
        ? { message: user.message, code: user.code ?? null, hint: user.hint ?? null }
        : { message: error instanceof Error ? error.message : String(error), code: null, hint: null },
    });
    if (!user) (this.deps.warn ?? (() => undefined))(`Download ${id} failed: ${String(error)}`);
  }

  private progress(id: string, file: string): void {
    const job = this.view(this.jobsById?.get(id));
    this.deps.events.emit('onProgress', { jobId: id, file, bytesDone: job.bytesDone, bytesTotal: job.bytesTotal });
  }

  private async update(id: string, patch: Partial<StoredJob>): Promise<StoredJob> {
    const next = { ...(await this.find(id)), ...patch, updatedAt: this.now() };
    (await this.all()).set(id, next);
    await this.store.save(next);
    if (patch.state) this.deps.events.emit('onJobChanged', { jobId: id, state: patch.state as DownloadState });
    return next;
  }

  private withFile(id: string, file: string, patch: Partial<StoredFile>): StoredFile[] {
    return (this.jobsById?.get(id)?.files ?? []).map((f) => (f.path === file ? { ...f, ...patch } : f));
  }

  private onDiskOf(id: string): Map<string, number> {
    let map = this.onDisk.get(id);
    if (!map) this.onDisk.set(id, (map = new Map()));
    return map;
  }

  private bytesOnDisk(id: string, file: string): number {
    return this.onDisk.get(id)?.get(file) ?? 0;
  }

  private view(job: StoredJob | undefined): DownloadJob {
    if (!job) throw notFound('?');
    const files = job.files.map((f) => ({
      path: f.path,
      size: f.size,
      done: f.verified ? f.size : Math.min(f.size, this.bytesOnDisk(job.id, f.path)),
      verified: f.verified,
    }));
    const { files: _stored, ...rest } = job;
    return {
      ...rest,
      files,
      bytesDone: files.reduce((sum, f) => sum + f.done, 0),
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
    };
  }

  private async find(id: string): Promise<StoredJob> {
    const job = (await this.all()).get(id);
    if (!job) throw notFound(id);
    return job;
  }

  private async all(): Promise<Map<string, StoredJob>> {
    if (this.jobsById === null) {
      const loaded = await this.store.load();
      this.jobsById ??= new Map(loaded.map((job) => [job.id, job]));
    }
    return this.jobsById;
  }

  private now(): string {
    return (this.deps.clock?.() ?? new Date()).toISOString();
  }
}

function retryable(error: unknown): boolean {
  if (error instanceof DroppedError || error instanceof StalledError) return true;
  if (error instanceof HubStatusError) return error.status >= 500 || error.status === 429;
  // undici: a reset or refused connection, or a body that ended early ("terminated").
  return error instanceof TypeError;
}

function dropped(file: string): UserError {
  return new UserError(`The connection to the Hub kept dropping while downloading ${file}.`, {
    where: file,
    hint: 'Resume when the connection is back: it continues from the bytes already downloaded.',
    code: 'hub-dropped',
  });
}

function stalled(error: StalledError): UserError {
  return new UserError(
    `The Hub at ${error.host} sent nothing for ${error.seconds} s while downloading ${error.file}, ${MAX_RETRIES + 1} times in a row.`,
    {
      where: error.file,
      hint: 'Resume when the connection is back: it continues from the bytes already downloaded. On a slow link, raise the idle timeout in Settings (Hugging Face Hub).',
      code: 'hub-stalled',
    },
  );
}

function offlineError(what: string): UserError {
  return new UserError(`${what}, and offline mode is on.`, {
    hint: 'Turn offline mode off in Settings (Hugging Face Hub) to download.',
    code: 'offline',
  });
}

function notFound(id: string): UserError {
  return new UserError('There is no such download.', { where: `hub: ${id}`, code: 'download-not-found' });
}

function defaultName(repo: string, revision: string): string {
  const name = repo.split('/')[1] ?? repo;
  return revision === 'main' ? name : `${name}@${revision}`;
}

async function freeBytesOf(folder: string): Promise<number> {
  const stats = await fs.statfs(folder);
  return stats.bavail * stats.bsize;
}

function defaultBackoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(8000, 500 * 2 ** (attempt - 1))));
}

function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}
