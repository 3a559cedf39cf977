// One file from the Hub into `<name>.part`, continuing from the bytes already there with an HTTP range (If-Range on the
// ETag, so a changed file starts over), following the Hub's redirects to its storage itself (the access token goes
// only to the Hub's own origin), and the checksum of a finished file. @huggingface/hub downloads whole files only;
// resuming a partial one needs this loop. A request that receives no byte for the idle timeout is dropped like a
// broken connection (StalledError), so a stalled server cannot hold a download until the user pauses it.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { UserError } from '../../../shared/errors';
import type { HubConnection, RemoteFile } from './hub-client';

const MAX_REDIRECTS = 5;

export interface PartState {
  /** The ETag the bytes on disk came with (If-Range of the next request); null before the first response. */
  etag: string | null;
}

export interface FileDownload {
  readonly url: string;
  readonly file: RemoteFile;
  readonly partPath: string;
  readonly part: PartState;
  readonly signal: AbortSignal;
  /** Milliseconds without a received byte (or the first answer) after which the request is dropped. */
  readonly idleMs: number;
  /** Bytes now on disk after each written chunk. */
  onBytes(done: number): void;
}

/**
 * Writes the rest of `file` into its part file; returns when it holds `size` bytes (throws on drop, stall, abort,
 * refusal).
 */
export async function downloadPart(hub: HubConnection, job: FileDownload): Promise<void> {
  const idle = new IdleWatch(job.idleMs);
  // The host that went silent: the Hub, or the storage it redirected to.
  const at = { host: new URL(job.url).host };
  try {
    await download(hub, job, AbortSignal.any([job.signal, idle.signal]), () => idle.touch(), at);
  } catch (error) {
    if (idle.fired && !job.signal.aborted)
      throw new StalledError(job.file.path, at.host, job.idleMs / 1000, { cause: error });
    throw error;
  } finally {
    idle.stop();
  }
}

async function download(
  hub: HubConnection,
  job: FileDownload,
  signal: AbortSignal,
  alive: () => void,
  at: { host: string },
): Promise<void> {
  let start = await sizeOf(job.partPath);
  if (start > job.file.size) {
    await fs.truncate(job.partPath, 0);
    start = 0;
  }
  if (start === job.file.size) return;
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (start > 0) {
    headers.Range = `bytes=${start}-`;
    if (job.part.etag !== null) headers['If-Range'] = job.part.etag;
  }
  const { response, linked } = await fetchFollowing(hub, job.url, headers, signal, (url) => (at.host = url.host));
  alive();
  checkLinked(hub, job, linked);
  if (response.status === 200 && start > 0)
    start = 0; // the file changed (If-Range) or ranges are not served
  else if (response.status === 206) {
    const from = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(from) !== start) throw badAnswer(hub, job, `a range from ${from ?? 'nowhere'} instead of ${start}`);
  } else if (response.status !== 200) throw statusError(hub, job, response.status);
  job.part.etag = response.headers.get('etag') ?? job.part.etag;
  if (!response.body) throw badAnswer(hub, job, 'no body');

  const handle = await fs.open(job.partPath, start === 0 ? 'w' : 'r+');
  let position = start;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      alive();
      if (position + chunk.byteLength > job.file.size) throw badAnswer(hub, job, 'more bytes than its size');
      await handle.write(chunk, 0, chunk.byteLength, position);
      position += chunk.byteLength;
      job.onBytes(position);
    }
  } finally {
    await handle.close();
  }
  if (position !== job.file.size) throw new DroppedError(job.file.path, position);
}

/** The body ended before the file did: the connection dropped (resume continues from `done`). */
export class DroppedError extends Error {
  constructor(
    readonly file: string,
    readonly done: number,
  ) {
    super(`The download of ${file} stopped at byte ${done}.`);
  }
}

/** No byte for `seconds`: the request was dropped (retried from the bytes on disk like a broken connection). */
export class StalledError extends Error {
  constructor(
    readonly file: string,
    readonly host: string,
    readonly seconds: number,
    options?: { cause?: unknown },
  ) {
    super(`${host} sent nothing for ${seconds} s while downloading ${file}.`, options);
  }
}

/** Aborts its signal once `ms` pass without a touch. */
class IdleWatch {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  fired = false;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error('idle timeout'));
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Follows redirects by hand: their Location is on the Hub's storage, which must not see the access token. */
async function fetchFollowing(
  hub: HubConnection,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  onHop: (url: URL) => void,
): Promise<{ response: Response; linked: Linked }> {
  const origin = new URL(hub.endpoint).origin;
  let linked: Linked = { etag: null, size: null };
  let next = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    onHop(new URL(next));
    const sameOrigin = new URL(next).origin === origin;
    const auth: Record<string, string> =
      sameOrigin && hub.token !== null ? { Authorization: `Bearer ${hub.token}` } : {};
    const response = await hub.fetch(next, { headers: { ...headers, ...auth }, redirect: 'manual', signal });
    if (hop === 0)
      linked = { etag: response.headers.get('x-linked-etag'), size: response.headers.get('x-linked-size') };
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return { response, linked };
    await response.body?.cancel();
    next = new URL(location, next).toString();
  }
  throw new UserError(`The Hub redirected ${url} more than ${MAX_REDIRECTS} times.`, {
    where: url,
    hint: 'Check the Hub address and proxy in Settings.',
    code: 'hub-bad-answer',
  });
}

/** What the Hub's first answer says of an LFS file (X-Linked-Etag / X-Linked-Size), before its storage serves it. */
interface Linked {
  readonly etag: string | null;
  readonly size: string | null;
}

/** The Hub's LFS metadata must agree with its file list; a mismatch means another file than the one listed. */
function checkLinked(hub: HubConnection, job: FileDownload, linked: Linked): void {
  if (linked.size !== null && Number(linked.size) !== job.file.size)
    throw badAnswer(hub, job, `X-Linked-Size ${linked.size} (the file list says ${job.file.size} bytes)`);
  const etag = linked.etag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase() ?? null;
  if (etag !== null && job.file.sha256 !== null && etag !== job.file.sha256.toLowerCase())
    throw badAnswer(hub, job, `X-Linked-Etag ${etag} (the file list says sha256 ${job.file.sha256})`);
}

/** Whether the finished part file has the content the Hub listed (sha256 for LFS files, the git blob id else). */
export async function checksumMatches(path: string, file: RemoteFile): Promise<{ ok: boolean; got: string }> {
  const hash = createHash(file.sha256 !== null ? 'sha256' : 'sha1');
  if (file.sha256 === null) hash.update(`blob ${file.size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const got = hash.digest('hex');
  const expected = file.sha256 ?? file.gitOid;
  return { ok: expected !== null && got === expected.toLowerCase(), got };
}

async function sizeOf(path: string): Promise<number> {
  return fs.stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

function statusError(hub: HubConnection, job: FileDownload, status: number): UserError | HubStatusError {
  if (status === 401 || status === 403)
    return new UserError(`The Hub refused ${job.file.path} (${status}).`, {
      where: job.url,
      hint:
        hub.token === null
          ? 'The repo is gated: accept its licence on the Hub and set an access token in Settings.'
          : 'Check that the access token can read this repo and that its licence was accepted.',
      code: 'hub-unauthorized',
    });
  if (status === 404)
    return new UserError(`${job.file.path} is no longer on the Hub at this revision.`, {
      where: job.url,
      hint: 'Cancel and download the revision again.',
      code: 'hub-not-found',
    });
  return new HubStatusError(status, job.url);
}

/** A server error (5xx, 429, ...) worth retrying. */
export class HubStatusError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`The Hub answered ${status} for ${url}.`);
  }
}

function badAnswer(hub: HubConnection, job: FileDownload, what: string): UserError {
  return new UserError(`The Hub sent ${what} for ${job.file.path}.`, {
    where: job.url,
    hint: `Check the Hub address (${hub.endpoint}) and proxy in Settings, then resume.`,
    code: 'hub-bad-answer',
  });
}
