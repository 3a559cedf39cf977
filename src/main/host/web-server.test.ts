import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { defineService, method } from '../../shared/contract/define';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import { Dispatcher } from '../api/dispatcher';

import { FailureThrottle } from '../platform/throttle';
import { WebServer } from './web-server';

const echo = defineService(
  'echo',
  { say: method(z.object({ text: z.string() }).strict(), z.string()) },
  { onSaid: z.string() },
);
const contract = { echo };

let dir: string;
let server: WebServer;
let base: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dovetail-web-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Dovetail</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  const dispatcher: Dispatcher<typeof contract> = new Dispatcher(contract, {
    echo: {
      async say({ text }) {
        dispatcher.sink('echo').emit('onSaid', text);
        return text;
      },
    },
  });
  server = new WebServer(dispatcher as never, {
    rendererDir: join(dir, 'renderer'),
    throttle: new FailureThrottle({ freeFailures: 3, baseDelayMs: 20_000 }),
  });
  const url = new URL(await server.listen());
  base = url.origin;
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(
  path: string,
  body: unknown,
  headers: Record<string, string> = { [HTTP_ROUTES.tokenHeader]: server.token },
) {
  const response = await fetch(`${base}${HTTP_ROUTES.apiPrefix}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('browser-mode server', () => {
  it('binds to loopback and prints a URL carrying the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('runs calls with the token and refuses them without it', async () => {
    expect(await call('echo/say', { text: 'hi' })).toEqual({ status: 200, body: { ok: true, result: 'hi' } });
    expect(await call('echo/say', { text: 'hi' }, {})).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'unauthorized' } },
    });
    expect(await call('echo/say', { text: 'hi' }, { [HTTP_ROUTES.tokenHeader]: 'x'.repeat(32) })).toMatchObject({
      status: 401,
    });
  });

  it('answers malformed input with a validation error, not a crash', async () => {
    expect(await call('echo/say', { text: 42 })).toMatchObject({
      status: 200,
      body: { ok: false, error: { kind: 'user', code: 'validation' } },
    });
    expect(await call('echo/say', '{not json')).toMatchObject({
      status: 400,
      body: { ok: false, error: { code: 'bad-request' } },
    });
    expect(await call('echo/nope', {})).toMatchObject({ body: { ok: false, error: { code: 'unknown-method' } } });
    expect(await call('echo/say', { text: 'still alive' })).toMatchObject({ body: { ok: true } });
  });

  it('refuses foreign origins and foreign Host headers (DNS rebinding)', async () => {
    expect(
      await call(
        'echo/say',
        { text: 'hi' },
        { [HTTP_ROUTES.tokenHeader]: server.token, origin: 'http://evil.example' },
      ),
    ).toMatchObject({ status: 403 });
    const status = await new Promise<number>((done, fail) => {
      const url = new URL(base);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/', headers: { host: `evil.example:${url.port}` } },
        (res) => done(res.statusCode ?? 0),
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves the renderer with a strict CSP and never files outside it', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/models`)).status).toBe(200); // client-side route falls back to the app
  });

  it('pushes events over the WebSocket only to holders of the token', async () => {
    const wsBase = base.replace('http', 'ws');
    const refused = new WebSocket(`${wsBase}${HTTP_ROUTES.events}`);
    await expect(
      new Promise((done, fail) => {
        refused.on('open', done);
        refused.on('error', fail);
      }),
    ).rejects.toThrow(/401/);
    const socket = new WebSocket(`${wsBase}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=${server.token}`);
    await new Promise((done) => socket.on('open', done));
    const message = new Promise((done) => socket.on('message', (data) => done(JSON.parse(String(data)))));
    await call('echo/say', { text: 'event!' });
    expect(await message).toEqual({ service: 'echo', event: 'onSaid', payload: 'event!' });
    socket.close();
  });

  it('keeps a silent event socket open past the idle timeout (only silent HTTP connections are dropped)', async () => {
    await server.close();
    server = new WebServer(server['dispatcher'] as never, {
      rendererDir: join(dir, 'renderer'),
      limits: { idleTimeoutMs: 200, headersTimeoutMs: 200, requestTimeoutMs: 300, keepAliveTimeoutMs: 200 },
    });
    base = new URL(await server.listen()).origin;
    const socket = new WebSocket(
      `${base.replace('http', 'ws')}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=${server.token}`,
    );
    await new Promise((done) => socket.on('open', done));
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    // Silence for ten idle timeouts, measured by the server's own idle rule on a plain connection beside it.
    const idle = await import('node:net').then(({ connect }) => connect(Number(new URL(base).port), '127.0.0.1'));
    for (let i = 0; i < 10; i++)
      await new Promise((done) => idle.once('close', done).once('error', done) && setTimeout(done, 200));
    expect(closed).toBe(false);
    const message = new Promise((done) => socket.on('message', (data) => done(JSON.parse(String(data)))));
    await call('echo/say', { text: 'still here' });
    expect(await message).toEqual({ service: 'echo', event: 'onSaid', payload: 'still here' });
    socket.close();
  });

  it('refuses the event socket to a page of another origin or a foreign Host, even with the token', async () => {
    const wsBase = base.replace('http', 'ws');
    const withToken = `${wsBase}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=${server.token}`;
    const attempt = (options: WebSocket.ClientOptions) =>
      new Promise((done, fail) => {
        const socket = new WebSocket(withToken, options);
        socket.on('open', () => {
          socket.close();
          done('open');
        });
        socket.on('error', fail);
      });
    await expect(attempt({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(attempt({ origin: base.replace('127.0.0.1', 'localhost').replace(/:\d+$/, ':1') })).rejects.toThrow(
      /403/,
    );
    await expect(attempt({ headers: { host: 'evil.example' } })).rejects.toThrow(/403/);
    expect(await attempt({ origin: base })).toBe('open');
  });

  it('throttles wrong tokens per address on calls and on the event socket (429 with Retry-After)', async () => {
    // A tab opened without the token keeps asking: no guess, so it locks nobody out.
    for (let i = 0; i < 5; i++) expect((await call('echo/say', { text: 'x' }, {})).status).toBe(401);
    expect((await call('echo/say', { text: 'x' })).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await call('echo/say', { text: 'x' }, { [HTTP_ROUTES.tokenHeader]: `guess-${i}` })).status).toBe(401);
    const refused = new WebSocket(`${base.replace('http', 'ws')}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=guess`);
    await expect(
      new Promise((done, fail) => {
        refused.on('open', done);
        refused.on('error', fail);
      }),
    ).rejects.toThrow(/401/);
    const throttled = await fetch(`${base}${HTTP_ROUTES.apiPrefix}echo/say`, {
      method: 'POST',
      headers: { [HTTP_ROUTES.tokenHeader]: server.token },
      body: '{"text":"hi"}',
    });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    const socket = new WebSocket(
      `${base.replace('http', 'ws')}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=${server.token}`,
    );
    await expect(
      new Promise((done, fail) => {
        socket.on('open', done);
        socket.on('error', fail);
      }),
    ).rejects.toThrow(/429/);
  });

  it('closes the connection after refusing an oversized body, so its rest is never read as a request', async () => {
    const url = new URL(base);
    const { status, closed } = await new Promise<{ status: number; closed: Promise<void> }>((done, fail) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `${HTTP_ROUTES.apiPrefix}echo/say`,
          agent: new Agent({ keepAlive: true }),
          headers: { [HTTP_ROUTES.tokenHeader]: server.token, 'content-length': String(9 * 1024 * 1024) },
        },
        (res) => {
          const closedSocket = new Promise<void>((c) => res.socket.once('close', () => c()));
          res.resume();
          done({ status: res.statusCode ?? 0, closed: closedSocket });
        },
      );
      req.on('error', fail);
      req.write('{"text":"');
    });
    expect(status).toBe(413);
    await closed;
  });
});
