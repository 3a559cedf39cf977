import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { defineService, method } from '../../shared/contract/define';
import { HTTP_ROUTES } from '../../shared/contract/wire';
import { Dispatcher } from '../api/dispatcher';
import { WebServer } from './web-server';

const echo = defineService('echo', { say: method(z.object({ text: z.string() }).strict(), z.string()) }, { onSaid: z.string() });
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
  server = new WebServer(dispatcher as never, { rendererDir: join(dir, 'renderer') });
  const url = new URL(await server.listen());
  base = url.origin;
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(path: string, body: unknown, headers: Record<string, string> = { [HTTP_ROUTES.tokenHeader]: server.token }) {
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
    expect(await call('echo/say', { text: 'hi' }, {})).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } });
    expect(await call('echo/say', { text: 'hi' }, { [HTTP_ROUTES.tokenHeader]: 'x'.repeat(32) })).toMatchObject({ status: 401 });
  });

  it('answers malformed input with a validation error, not a crash', async () => {
    expect(await call('echo/say', { text: 42 })).toMatchObject({ status: 200, body: { ok: false, error: { kind: 'user', code: 'validation' } } });
    expect(await call('echo/say', '{not json')).toMatchObject({ status: 400, body: { ok: false, error: { code: 'bad-request' } } });
    expect(await call('echo/nope', {})).toMatchObject({ body: { ok: false, error: { code: 'unknown-method' } } });
    expect(await call('echo/say', { text: 'still alive' })).toMatchObject({ body: { ok: true } });
  });

  it('refuses foreign origins and foreign Host headers (DNS rebinding)', async () => {
    expect(await call('echo/say', { text: 'hi' }, { [HTTP_ROUTES.tokenHeader]: server.token, origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    const status = await new Promise<number>((done, fail) => {
      const url = new URL(base);
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/', headers: { host: `evil.example:${url.port}` } }, (res) => done(res.statusCode ?? 0));
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
    await expect(new Promise((done, fail) => { refused.on('open', done); refused.on('error', fail); })).rejects.toThrow(/401/);
    const socket = new WebSocket(`${wsBase}${HTTP_ROUTES.events}?${HTTP_ROUTES.tokenQuery}=${server.token}`);
    await new Promise((done) => socket.on('open', done));
    const message = new Promise((done) => socket.on('message', (data) => done(JSON.parse(String(data)))));
    await call('echo/say', { text: 'event!' });
    expect(await message).toEqual({ service: 'echo', event: 'onSaid', payload: 'event!' });
    socket.close();
  });
});
