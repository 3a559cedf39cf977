// Tests only: a local server with the Hugging Face Hub's URL layout over folders on disk (model info per revision, the
// file tree with git and LFS ids, resolve URLs that redirect LFS files to a CDN-like path with X-Linked-Etag /
// X-Linked-Size, ETags and byte ranges), which misbehaves on request: drops a file's connection mid-body, stalls
// (sends nothing more, connection open), serves altered bytes under the right checksum, refuses gated repos without
// the token. Used by unit tests and e2e.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface MockRepo {
  readonly folder: string;
  readonly gated?: boolean;
  /** Files served with one byte changed (the listing keeps the true checksum). */
  readonly corrupt?: readonly string[];
  /** Files whose first whole-file request is cut after half its bytes. */
  readonly dropOnce?: readonly string[];
  /**
   * Files whose next N body requests send the headers and at most the bytes before the file's middle, then nothing
   * (the connection stays open until the client gives up); Infinity: every request.
   */
  readonly stall?: Readonly<Record<string, number>>;
}

export interface MockHubRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | null;
  readonly authorization: string | null;
}

export interface MockHub {
  readonly url: string;
  /** The storage origin LFS files redirect to (the Hub's CDN). */
  readonly cdnUrl: string;
  readonly requests: MockHubRequest[];
  /** The commit every revision of a repo resolves to. */
  commitOf(repo: string): string;
  close(): Promise<void>;
}

export const MOCK_HUB_TOKEN = 'hf_mock_token_for_tests';
/** Files at least this big are LFS files, as the Hub stores large files (and every .safetensors). */
const LFS_FROM_BYTES = 512 * 1024;

interface Served {
  readonly bytes: Buffer;
  readonly lfs: boolean;
  readonly gitOid: string;
  readonly sha256: string;
}

export async function startMockHub(repos: Readonly<Record<string, MockRepo>>): Promise<MockHub> {
  const files = new Map<string, Map<string, Served>>();
  for (const [repo, spec] of Object.entries(repos)) {
    const served = new Map<string, Served>();
    for (const name of readdirSync(spec.folder).filter((n) => statSync(path.join(spec.folder, n)).isFile())) {
      const bytes = readFileSync(path.join(spec.folder, name));
      served.set(name, {
        bytes,
        lfs: name.endsWith('.safetensors') || bytes.length >= LFS_FROM_BYTES,
        gitOid: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
    files.set(repo, served);
  }
  const commitOf = (repo: string) => createHash('sha1').update(`commit ${repo}`).digest('hex');
  const dropped = new Set<string>();
  const stalls = new Map<string, number>();
  const requests: MockHubRequest[] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
    });
    try {
      route(req, res, url);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'cdn') return cdn(req, res, parts[1] ?? '', parts[2] ?? '', parts.slice(3).join('/'));
    const api = parts[0] === 'api' && parts[1] === 'models';
    const [owner, name] = api ? [parts[2], parts[3]] : [parts[0], parts[1]];
    const repo = `${owner}/${name}`;
    const spec = repos[repo];
    const served = files.get(repo);
    if (!spec || !served) return json(res, 404, { error: 'Repository not found' }, 'RepoNotFound');
    if (spec.gated && req.headers.authorization !== `Bearer ${MOCK_HUB_TOKEN}`)
      return json(res, 401, { error: `Access to model ${repo} is restricted.` }, 'GatedRepo');
    const kind = api ? parts[4] : parts[2];
    const revision = parts[api ? 5 : 3] ?? '';
    if (revision !== 'main' && revision !== commitOf(repo))
      return json(res, 404, { error: 'Invalid rev id' }, 'RevisionNotFound');
    if (api && kind === 'revision')
      return json(res, 200, {
        _id: commitOf(repo).slice(0, 24),
        id: repo,
        sha: commitOf(repo),
        private: false,
        gated: spec.gated ? 'manual' : false,
        downloads: 0,
        likes: 0,
        lastModified: '2026-01-01T00:00:00.000Z',
        siblings: [...served.keys()].map((rfilename) => ({ rfilename })),
      });
    if (api && kind === 'tree')
      return json(
        res,
        200,
        [...served].map(([file, s]) => ({
          type: 'file',
          path: file,
          size: s.bytes.length,
          oid: s.gitOid,
          ...(s.lfs ? { lfs: { oid: s.sha256, size: s.bytes.length, pointerSize: 134 } } : {}),
        })),
      );
    if (!api && kind === 'resolve') {
      const file = parts.slice(4).join('/');
      const s = served.get(file);
      if (!s) return json(res, 404, { error: 'Entry not found' }, 'EntryNotFound');
      if (!s.lfs) return body(req, res, repo, file, s, `"${s.gitOid}"`);
      res.writeHead(302, {
        Location: `${cdnUrl}/cdn/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(name ?? '')}/${file}`,
        'X-Linked-Etag': `"${s.sha256}"`,
        'X-Linked-Size': String(s.bytes.length),
        ETag: `"${s.gitOid}"`,
      });
      return void res.end();
    }
    json(res, 404, { error: 'Not found' });
  }

  function cdn(req: IncomingMessage, res: ServerResponse, owner: string, name: string, file: string): void {
    const repo = `${owner}/${name}`;
    const s = files.get(repo)?.get(file);
    if (!s) return void res.writeHead(404).end();
    body(req, res, repo, file, s, `"${s.sha256}"`);
  }

  function body(req: IncomingMessage, res: ServerResponse, repo: string, file: string, s: Served, etag: string): void {
    const spec = repos[repo];
    let bytes = s.bytes;
    if (spec?.corrupt?.includes(file)) {
      bytes = Buffer.from(s.bytes);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const stallKey = `${repo}/${file}`;
    const stalled = stalls.get(stallKey) ?? 0;
    if (stalled < (spec?.stall?.[file] ?? 0)) {
      stalls.set(stallKey, stalled + 1);
      const start = range && (ifRange === undefined || ifRange === etag) ? Number(range[1]) : 0;
      res.writeHead(start > 0 ? 206 : 200, {
        ETag: etag,
        'Accept-Ranges': 'bytes',
        'Content-Type': 'application/octet-stream',
        'Content-Length': bytes.length - start,
        ...(start > 0 ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
      });
      // Up to the middle, then silence: no more bytes, no end, no reset.
      res.write(bytes.subarray(start, Math.max(start, bytes.length >> 1)));
      return;
    }
    const headers = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (range && (ifRange === undefined || ifRange === etag)) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      if (start >= bytes.length) return void res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      res.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
        'Content-Length': end - start + 1,
      });
      return void res.end(bytes.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, 'Content-Length': bytes.length });
    const key = `${repo}/${file}`;
    if (spec?.dropOnce?.includes(file) && !dropped.has(key)) {
      dropped.add(key);
      // Half the body, flushed, then the connection is cut: the client sees a body that ends early.
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  }

  // The storage answers on another origin, as the Hub's CDN does: a client must not send it the access token.
  const cdnServer: Server = createServer(server.listeners('request')[0] as Parameters<typeof createServer>[1]);
  const listen = async (s: Server) => {
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  const url = await listen(server);
  const cdnUrl = await listen(cdnServer);
  const close = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    url,
    cdnUrl,
    requests,
    commitOf,
    close: async () => void (await Promise.all([close(server), close(cdnServer)])),
  };
}

function json(res: ServerResponse, status: number, value: unknown, errorCode?: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...(errorCode ? { 'X-Error-Code': errorCode } : {}) });
  res.end(JSON.stringify(value));
}
