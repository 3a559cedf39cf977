// The shared server hardening on real sockets: idle and half-sent requests dropped by short injected timeouts (waiting
// on the sockets' 'close', never on a timer), the connection cap, an oversized body closing its connection, failed
// tokens throttled with 429 + Retry-After, Host/Origin rules per bound address, and TLS with a workspace certificate.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from './http-responses';
import {
  AddressGuard,
  closeServer,
  createHardenedServer,
  listen,
  readBodyOrRefuse,
  refuseThrottled,
  remoteOf,
  type HardenedServerOptions,
} from './server-hardening';
import { FailureThrottle } from '../platform/throttle';
import { CERTIFICATE_FILE, workspaceCertificate } from './share-certificate';
import { RawSockets, untilClosed } from './testing/raw-sockets';

const TOKEN = 'right-token';
let server: Server | undefined;
const sockets = new RawSockets();

afterEach(async () => {
  sockets.destroyAll();
  if (server) await closeServer(server);
  server = undefined;
});

/** Released by a test to let a held request ('x-hold') answer. */
let release: () => void = () => undefined;

/** A small server built only from the hardening's parts: token-gated POSTs echo their JSON body. */
async function start(options: HardenedServerOptions, throttle = new FailureThrottle()): Promise<AddressInfo> {
  const held = new Promise<void>((done) => (release = done));
  server = createHardenedServer((req, res) => {
    void (async () => {
      if (req.headers['x-hold'] !== undefined) await held;
      if (refuseThrottled(throttle, req, res)) return;
      if (req.headers['x-token'] !== TOKEN) {
        throttle.fail(remoteOf(req));
        sendJson(res, 401, { ok: false, error: { kind: 'user', message: 'no' } });
        return;
      }
      const read = await readBodyOrRefuse(req, res, 1024);
      if (read) sendJson(res, 200, { ok: true, result: read.body });
    })();
  }, options);
  return listen(server, '127.0.0.1', 0);
}

const open = (port: number): Promise<Socket> => sockets.connect(port);

const long = { headersTimeoutMs: 60_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000, idleTimeoutMs: 60_000 };

describe('timeouts', () => {
  it('drops a socket that connects and sends nothing, once the idle timeout passes', async () => {
    const { port } = await start({ limits: { ...long, idleTimeoutMs: 300 } });
    const began = Date.now();
    const socket = await open(port);
    expect(await untilClosed(socket)).toBe('');
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
  });

  it('keeps a connection whose answer takes longer than the idle timeout (a long call writes nothing meanwhile)', async () => {
    const { port } = await start({ limits: { ...long, idleTimeoutMs: 300 } });
    const busy = await open(port);
    const answer = untilClosed(busy);
    busy.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nx-hold: 1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`,
    );
    // A silent socket opened after it is dropped by the idle rule: the held request has been waiting at least as long.
    await untilClosed(await open(port));
    release();
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it('drops a request whose headers never finish (408), though the socket is not idle long enough for that rule', async () => {
    const { port } = await start({ limits: { ...long, headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('drops a request whose body stops half-way, once the request timeout passes', async () => {
    const { port } = await start({ limits: { ...long, headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nContent-Length: 100\r\n\r\n{"half":`,
    );
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a keep-alive connection that waits for its next request past the keep-alive timeout', async () => {
    const { port } = await start({ limits: { ...long, keepAliveTimeoutMs: 300 } });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nContent-Length: 2\r\n\r\n{}`);
    const text = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('{"ok":true,"result":{}}');
  });
});

describe('connection cap', () => {
  it('closes connections beyond the cap on accept and keeps the ones within it', async () => {
    const { port } = await start({ limits: { ...long, maxConnections: 3 } });
    let accepted = 0;
    const three = new Promise<void>((done) => server?.on('connection', () => ++accepted === 3 && done()));
    const kept = await Promise.all([open(port), open(port), open(port)]);
    await three;
    const extra = await open(port).catch(() => undefined);
    if (extra) expect(await untilClosed(extra)).toBe('');
    expect(kept.every((s) => !s.destroyed && s.readyState === 'open')).toBe(true);
    // One goes; a new one is then let in and served.
    const gone = new Promise((done) => server?.getConnections(done));
    kept[0]!.destroy();
    await gone;
    await new Promise<void>((done) => {
      const poll = () => server?.getConnections((_e, n) => (n < 3 ? done() : setImmediate(poll)));
      poll();
    });
    const again = await open(port);
    const reply = untilClosed(again);
    again.end(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(await reply).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe('request bodies', () => {
  it('answers an oversized body (declared length) with 413 and closes the keep-alive connection', async () => {
    const { port } = await start({ limits: long });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nContent-Length: 5000\r\n\r\n${'x'.repeat(2000)}`,
    );
    const text = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toContain('"code":"too-large"');
  });

  it('does the same for a chunked body that grows past the limit', async () => {
    const { port } = await start({ limits: long });
    const socket = await open(port);
    const closed = untilClosed(socket);
    const chunk = 'y'.repeat(800);
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-token: ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 413/);
  });
});

describe('failed tokens', () => {
  it('backs off per address: free tries, then doubling waits up to the cap, forgotten after a quiet spell', () => {
    let now = 0;
    const throttle = new FailureThrottle({
      freeFailures: 2,
      baseDelayMs: 1000,
      maxDelayMs: 4000,
      forgetAfterMs: 60_000,
      clock: () => now,
    });
    throttle.fail('a');
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(1000);
    expect(throttle.waitMs('b')).toBe(0);
    now += 1000;
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(2000);
    throttle.fail('a');
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(4000);
    now += 61_000;
    expect(throttle.waitMs('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(0); // a fresh start: one failure is free again
  });

  it('remembers a bounded number of addresses', () => {
    const throttle = new FailureThrottle({ freeFailures: 0, maxTracked: 2, clock: () => 0 });
    for (const a of ['a', 'b', 'c']) throttle.fail(a);
    expect(['a', 'b', 'c'].map((a) => throttle.waitMs(a) > 0)).toEqual([false, true, true]);
  });

  it('answers 429 with Retry-After once an address has used its free tries, even for the right token', async () => {
    const { port } = await start({ limits: long }, new FailureThrottle({ freeFailures: 2, baseDelayMs: 30_000 }));
    const post = (token: string) =>
      fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'x-token': token }, body: '{}' });
    expect((await post('guess-1')).status).toBe(401);
    expect((await post('guess-2')).status).toBe(401);
    expect((await post('guess-3')).status).toBe(401);
    const throttled = await post(TOKEN);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('30');
    expect(await throttled.json()).toMatchObject({ ok: false, error: { code: 'throttled' } });
  });
});

describe('Host and Origin', () => {
  const lan = { eth0: [{ address: '192.0.2.7' }, { address: 'fd00::7' }], lo: [{ address: '127.0.0.1' }] };

  it('on loopback answers the address and localhost at the bound port only', () => {
    const guard = new AddressGuard('http', { address: '127.0.0.1', port: 4100, family: 'IPv4' }, lan);
    expect(['127.0.0.1:4100', 'localhost:4100', 'LOCALHOST:4100'].map((h) => guard.hostAllowed(h))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['127.0.0.1:4101', 'evil.example:4100', '192.0.2.7:4100', '127.0.0.1', undefined].map((h) =>
        guard.hostAllowed(h),
      ),
    ).toEqual([false, false, false, false, false]);
    expect(guard.originAllowed(undefined)).toBe(true);
    expect(guard.originAllowed('http://localhost:4100')).toBe(true);
    expect(guard.originAllowed('https://localhost:4100')).toBe(false); // another origin: the scheme differs
    expect(guard.originAllowed('http://evil.example')).toBe(false);
    expect(guard.originAllowed('null')).toBe(false);
  });

  it('on a chosen interface answers that address only; IPv6 in brackets; default ports as browsers send them', () => {
    const v4 = new AddressGuard('https', { address: '192.0.2.7', port: 443, family: 'IPv4' }, lan);
    expect(['192.0.2.7', '192.0.2.7:443', 'localhost:443', '127.0.0.1:443'].map((h) => v4.hostAllowed(h))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(v4.originAllowed('https://192.0.2.7')).toBe(true);
    const v6 = new AddressGuard('https', { address: 'fd00::7', port: 9000, family: 'IPv6' }, lan);
    expect(v6.hostAllowed('[fd00::7]:9000')).toBe(true);
    expect(v6.originAllowed('https://[fd00::7]:9000')).toBe(true);
  });

  it('on a wildcard answers every address of the machine', () => {
    const guard = new AddressGuard('http', { address: '0.0.0.0', port: 5000, family: 'IPv4' }, lan);
    expect(
      ['192.0.2.7:5000', '[fd00::7]:5000', '127.0.0.1:5000', 'localhost:5000', 'evil.example:5000'].map((h) =>
        guard.hostAllowed(h),
      ),
    ).toEqual([true, true, true, true, false]);
  });
});

describe('TLS mode', () => {
  it('serves HTTPS with the workspace certificate, kept owner-only and reused, whose SHA-256 fingerprint the peer shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovetail-tls-'));
    try {
      const certificate = await workspaceCertificate(dir);
      expect(certificate.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      if (process.platform !== 'win32') expect(statSync(join(dir, CERTIFICATE_FILE)).mode & 0o777).toBe(0o600);
      expect((await workspaceCertificate(dir)).fingerprint256).toBe(certificate.fingerprint256);
      const { port } = await start({ limits: long, tls: certificate });
      const { status, fingerprint } = await new Promise<{ status: number; fingerprint: string }>((done, fail) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/',
            headers: { 'x-token': TOKEN },
            rejectUnauthorized: false,
          },
          (res) => {
            const peer = (res.socket as TLSSocket).getPeerCertificate();
            res.resume();
            res.on('end', () => done({ status: res.statusCode ?? 0, fingerprint: peer.fingerprint256 }));
          },
        );
        req.on('error', fail);
        req.end('{}');
      });
      expect(status).toBe(200);
      expect(fingerprint).toBe(certificate.fingerprint256);
      // Plain HTTP to the TLS port gets no answer from the app.
      const plain = await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
