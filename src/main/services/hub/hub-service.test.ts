// HubService against the local mock Hub (real HTTP, real files): a download that drops mid-file resumes with a range and
// verifies; a killed app's job resumes from its part files; a wrong checksum, a missing repo and a gated repo are
// refused with what to do and nothing is registered; offline mode sends nothing; the disk check comes first.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../shared/contract/hub';
import { DEFAULT_HUB_SETTINGS, type HubSettings } from '../../../shared/contract/settings';
import { startMockHub, MOCK_HUB_TOKEN, type MockHub } from '../../testing/mock-hub';
import { HubService, type HubServiceDeps } from './hub-service';
import { fileKeyCipher, TokenStore } from './token-store';

const DEMO = path.resolve('resources/models/dovetail-wordnet-13m');
const TINY = path.resolve('src/main/engine/models/__fixtures__/tiny-llama-f32');

let hub: MockHub;
let dir: string;
let settings: HubSettings;
let registered: { folder: string; name: string }[];

beforeAll(async () => {
  hub = await startMockHub({
    'dovetail/demo': { folder: DEMO, dropOnce: ['model-00002-of-00003.safetensors'] },
    'dovetail/tiny': { folder: TINY },
    'dovetail/corrupt': { folder: TINY, corrupt: ['model.safetensors'] },
    'dovetail/gated': { folder: TINY, gated: true },
    'dovetail/stall-once': { folder: TINY, stall: { 'model.safetensors': 1 } },
    'dovetail/stall': { folder: TINY, stall: { 'model.safetensors': Infinity } },
  });
});
afterAll(() => hub.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-hub-'));
  settings = { ...DEFAULT_HUB_SETTINGS, endpoint: hub.url };
  registered = [];
  hub.requests.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function service(overrides: Partial<HubServiceDeps> = {}): HubService {
  return new HubService({
    userDataDir: dir,
    settings: () => settings,
    tokens: new TokenStore(dir, fileKeyCipher(dir)),
    events: { emit: () => undefined },
    register: async (folder, name) => {
      registered.push({ folder, name });
      return { id: `model-${registered.length}` };
    },
    backoff: async () => undefined,
    ...overrides,
  });
}

async function finished(svc: HubService, job: DownloadJob): Promise<DownloadJob> {
  return svc.settled(job.id);
}

describe('HubService', () => {
  it('downloads a sharded checkpoint, resumes a dropped shard with a range, verifies and registers it', async () => {
    const progress: number[] = [];
    const svc = service({
      events: {
        emit: (event: string, payload: unknown) => {
          if (event === 'onProgress') progress.push((payload as { bytesDone: number }).bytesDone);
        },
      } as HubServiceDeps['events'],
    });
    const job = await finished(svc, await svc.download({ repo: 'dovetail/demo' }));

    expect(job.error).toBeNull();
    expect(job.state).toBe('completed');
    expect(job.commit).toBe(hub.commitOf('dovetail/demo'));
    expect(job.resumes).toBe(1);
    expect(job.bytesDone).toBe(job.bytesTotal);
    expect(job.files.map((f) => f.path).sort()).toEqual(
      fs
        .readdirSync(DEMO)
        .filter((f) => f !== 'README.md')
        .sort(),
    );
    for (const file of job.files) {
      expect(sameBytes(path.join(job.folder, file.path), path.join(DEMO, file.path)), file.path).toBe(true);
    }
    expect(fs.readdirSync(job.folder).some((f) => f.endsWith('.part'))).toBe(false);
    expect(registered).toEqual([{ folder: job.folder, name: 'demo' }]);
    expect(job.modelId).toBe('model-1');
    // The retry asked for the rest of the shard only, from where the drop left it (on the CDN path, without the token).
    const shard = hub.requests.filter((r) => r.path.endsWith('model-00002-of-00003.safetensors'));
    const resumed = shard.find((r) => r.range !== null && r.path.startsWith('/cdn/'));
    expect(Number(/bytes=(\d+)-/.exec(resumed?.range ?? '')?.[1])).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(job.bytesTotal);
  });

  it('drops a request that stalls after the idle timeout and resumes it from the bytes on disk', async () => {
    // The server sends half the weights, then nothing; the timeout is short so that the test does not wait long.
    settings = { ...settings, idleTimeoutSeconds: 1 };
    const svc = service();
    const job = await finished(svc, await svc.download({ repo: 'dovetail/stall-once' }));
    expect(job.error).toBeNull();
    expect(job.state).toBe('completed');
    expect(job.resumes).toBeGreaterThanOrEqual(1);
    expect(sameBytes(path.join(job.folder, 'model.safetensors'), path.join(TINY, 'model.safetensors'))).toBe(true);
    const weights = hub.requests.filter((r) => r.path.endsWith('/model.safetensors') && r.path.startsWith('/cdn/'));
    const resumed = weights.find((r) => r.range !== null);
    expect(Number(/bytes=(\d+)-/.exec(resumed?.range ?? '')?.[1])).toBeGreaterThan(0);
  });

  it('gives up on a server that stalls every time, naming the file and the host, and leaves the job to resume', async () => {
    settings = { ...settings, idleTimeoutSeconds: 0.2 };
    const svc = service();
    const job = await finished(svc, await svc.download({ repo: 'dovetail/stall' }));
    expect(job.state).toBe('interrupted');
    expect(job.error?.code).toBe('hub-stalled');
    // The host named is the one that went silent: the storage the Hub redirected the weights to.
    expect(job.error?.message).toBe(
      `The Hub at ${new URL(hub.cdnUrl).host} sent nothing for 0.2 s while downloading model.safetensors, 6 times in a row.`,
    );
    // Every retry asked for the rest from the bytes on disk.
    const retries = hub.requests.filter((r) => r.path.endsWith('/model.safetensors') && r.range !== null);
    expect(retries.length).toBeGreaterThanOrEqual(5);
    expect(job.error?.hint).toContain('raise the idle timeout in Settings');
    expect(registered).toEqual([]);
  });

  it('resumes a job that a killed app left behind from its part file', async () => {
    const first = service();
    const job = await finished(first, await first.download({ repo: 'dovetail/tiny' }));
    // What a kill mid-download leaves: the job file says running, and the weights are half on disk as a part file.
    const jobFile = path.join(dir, 'hub', 'jobs', `${job.id}.json`);
    const stored = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as { files: { path: string; verified: boolean }[] };
    const weights = fs.readFileSync(path.join(TINY, 'model.safetensors'));
    fs.rmSync(path.join(job.folder, 'model.safetensors'));
    fs.writeFileSync(path.join(job.folder, 'model.safetensors.part'), weights.subarray(0, 30_000));
    const files = stored.files.map((f) => (f.path === 'model.safetensors' ? { ...f, verified: false } : f));
    fs.writeFileSync(jobFile, JSON.stringify({ ...stored, files, state: 'running', modelId: null }));
    hub.requests.length = 0;
    registered = [];

    const second = service();
    const [found] = await second.jobs();
    expect(found?.state).toBe('interrupted');
    expect(found?.bytesDone).toBeLessThan(found?.bytesTotal ?? 0);
    await second.resume({ id: job.id });
    const done = await second.settled(job.id);
    expect(done.state).toBe('completed');
    expect(fs.readFileSync(path.join(job.folder, 'model.safetensors')).equals(weights)).toBe(true);
    expect(hub.requests.filter((r) => r.path.startsWith('/cdn/')).map((r) => r.range)).toEqual(['bytes=30000-']);
    expect(registered).toEqual([{ folder: job.folder, name: 'tiny' }]);
  });

  it('refuses a file whose bytes do not match the checksum, deletes it and registers nothing', async () => {
    const svc = service();
    const job = await finished(svc, await svc.download({ repo: 'dovetail/corrupt' }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('hub-checksum');
    expect(job.error?.message).toContain('model.safetensors');
    expect(job.error?.hint).toContain('Expected sha256');
    expect(registered).toEqual([]);
    expect(fs.existsSync(path.join(job.folder, 'model.safetensors'))).toBe(false);
    expect(fs.existsSync(path.join(job.folder, 'model.safetensors.part'))).toBe(false);
  });

  it('names a missing repo or revision and a gated repo, and downloads the gated one with the token', async () => {
    const svc = service();
    const missing = await finished(svc, await svc.download({ repo: 'dovetail/nope' }));
    expect(missing.error).toMatchObject({ code: 'hub-not-found', message: expect.stringContaining('dovetail/nope') });
    const badRevision = await finished(svc, await svc.download({ repo: 'dovetail/tiny', revision: 'v9' }));
    expect(badRevision.error?.message).toContain('at revision v9 was not found');

    const gated = await finished(svc, await svc.download({ repo: 'dovetail/gated' }));
    expect(gated.state).toBe('failed');
    expect(gated.error).toMatchObject({ code: 'hub-unauthorized' });
    expect(gated.error?.hint).toContain('set an access token');
    expect(registered).toEqual([]);

    await svc.setToken({ token: MOCK_HUB_TOKEN });
    expect((await svc.status()).tokenStored).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'hub-token.enc'), 'utf8')).not.toContain(MOCK_HUB_TOKEN);
    const retried = await finished(svc, await svc.resume({ id: gated.id }));
    expect(retried.state).toBe('completed');
    // The token went to the Hub, never to its storage (the CDN path).
    expect(hub.requests.filter((r) => r.path.startsWith('/cdn/')).every((r) => r.authorization === null)).toBe(true);
    expect(hub.requests.some((r) => r.authorization === `Bearer ${MOCK_HUB_TOKEN}`)).toBe(true);
  });

  it('offline mode sends nothing and registers a copy already downloaded', async () => {
    const svc = service();
    const job = await finished(svc, await svc.download({ repo: 'dovetail/tiny' }));
    expect(job.state).toBe('completed');
    settings = { ...settings, offline: true };
    hub.requests.length = 0;
    await expect(svc.download({ repo: 'dovetail/demo' })).rejects.toMatchObject({ code: 'offline' });
    const again = await finished(svc, await svc.download({ repo: 'dovetail/tiny' }));
    expect(again.state).toBe('completed');
    expect(registered).toHaveLength(2);
    expect(hub.requests).toEqual([]);
  });

  it('checks the disk space before downloading; pause keeps the job, resume finishes it, cancel deletes it', async () => {
    const full = service({ freeBytes: async () => 1000 });
    const refused = await finished(full, await full.download({ repo: 'dovetail/tiny' }));
    expect(refused.error).toMatchObject({ code: 'disk-full', message: expect.stringContaining('dovetail/tiny') });
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/'))).toBe(false);

    const svc = service();
    // Paused as soon as it started (the abort lands before the run's first request): kept, nothing registered.
    const paused = await svc.pause({ id: (await svc.download({ repo: 'dovetail/demo' })).id });
    expect(paused.state).toBe('paused');
    expect(registered).toEqual([]);
    expect((await finished(svc, await svc.resume({ id: paused.id }))).state).toBe('completed');
    registered = [];

    const cancelled = await svc.cancel({ id: (await svc.download({ repo: 'dovetail/demo' })).id });
    expect(cancelled.state).toBe('cancelled');
    expect(fs.existsSync(path.join(dir, 'hub', 'jobs', `${cancelled.id}.json`))).toBe(false);
    if (cancelled.folder !== '') expect(fs.existsSync(cancelled.folder)).toBe(false);
    expect(registered).toEqual([]);
  });

  it('goes through the proxy setting', async () => {
    const proxied: string[] = [];
    const proxy = await startConnectProxy(proxied);
    settings = { ...settings, proxy: proxy.url };
    const svc = service();
    const job = await finished(svc, await svc.download({ repo: 'dovetail/tiny' }));
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    expect(job.state).toBe('completed');
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied).toContain(new URL(hub.url).host);
    expect(proxied.every((target) => target.startsWith('127.0.0.1:'))).toBe(true);
  });
});

function sameBytes(a: string, b: string): boolean {
  return fs.readFileSync(a).equals(fs.readFileSync(b));
}

/** A minimal HTTP CONNECT proxy that records each tunnel's target. */
async function startConnectProxy(targets: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    targets.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
