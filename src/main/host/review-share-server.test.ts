// The review share server under the shared hardening, with short injected limits and real sockets: idle and
// half-sent connections dropped (waiting on 'close'), the connection cap, an oversized body closing its connection,
// and Host/Origin refused before any token is looked at.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineService, method } from '../../shared/contract/define';
import { Dispatcher } from '../api/dispatcher';
import { ReviewShareServer } from './review-share-server';
import { RawSockets, untilClosed } from './testing/raw-sockets';

const reviews = defineService('reviews', { queue: method(z.object({ roundId: z.string() }).strict(), z.string()) }, {});
const TOKEN = 'ann-token';
let share: ReviewShareServer;
let port: number;
let looked = 0;
const sockets = new RawSockets();

beforeEach(async () => {
  looked = 0;
  const dispatcher = new Dispatcher(
    { reviews },
    { reviews: { queue: async ({ roundId }, ctx) => `${roundId} for ${ctx.reviewerLink?.userId ?? '?'}` } },
  );
  share = new ReviewShareServer(
    dispatcher as never,
    (token) => {
      looked += 1;
      return token === TOKEN ? { roundId: 'r1', userId: 'ann' } : undefined;
    },
    {
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
      limits: {
        headersTimeoutMs: 400,
        requestTimeoutMs: 800,
        keepAliveTimeoutMs: 400,
        idleTimeoutMs: 1500,
        maxConnections: 4,
      },
    },
  );
  port = (await share.listen()).port;
});
afterEach(async () => {
  sockets.destroyAll();
  await share.close();
});

const open = (): Promise<Socket> => sockets.connect(port);

const call = (headers: Record<string, string>, body = '{"roundId":"r1"}') =>
  `POST /api/call/reviews/queue HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-dovetail-token: ${TOKEN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${Object.entries(
    headers,
  )
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`;

describe('review share server limits', () => {
  it('answers a reviewer call, then drops the idle keep-alive connection', async () => {
    const socket = await open();
    const closed = untilClosed(socket);
    socket.write(call({}));
    expect(await closed).toContain('"result":"r1 for ann"');
  });

  it('drops a connection that sends nothing and one whose request stops half-way', async () => {
    const silent = await open();
    const half = await open();
    const halfClosed = untilClosed(half);
    half.write(call({}).slice(0, 60));
    // Node answers a connection that never sent its headers with 408 at the headers timeout, or drops it when idle.
    expect(await untilClosed(silent)).toMatch(/^(HTTP\/1\.1 408 [\s\S]*)?$/);
    expect(await halfClosed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes connections over the cap on accept', async () => {
    let accepted = 0;
    const server = share.httpServer;
    const four = new Promise<void>((done) => server.on('connection', () => ++accepted === 4 && done()));
    await Promise.all([open(), open(), open(), open()]);
    await four;
    const extra = await open().catch(() => undefined);
    if (extra) expect(await untilClosed(extra)).toBe('');
  });

  it('answers an oversized body with 413 and closes the connection', async () => {
    const socket = await open();
    const closed = untilClosed(socket);
    socket.write(call({}, `{"roundId":"${'x'.repeat(2000)}"}`));
    expect(await closed).toMatch(/^HTTP\/1\.1 413/);
  });

  it('refuses a foreign Host or Origin before looking at the token', async () => {
    for (const headers of [
      { host: `evil.example:${port}` },
      { origin: 'http://evil.example' },
      { origin: `https://127.0.0.1:${port}` },
    ]) {
      const status = await new Promise<number>((done, fail) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/call/reviews/queue',
            headers: { 'x-dovetail-token': TOKEN, ...headers },
          },
          (res) => {
            res.resume();
            done(res.statusCode ?? 0);
          },
        );
        req.on('error', fail);
        req.end('{"roundId":"r1"}');
      });
      expect(status, JSON.stringify(headers)).toBe(403);
    }
    expect(looked).toBe(0);
  });
});
