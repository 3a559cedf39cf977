// The worker's protocol loop with an in-memory port and small handlers: validation, progress, cancel, shutdown.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EngineMethod, WorkerMessage } from '../protocol';
import type { HandlerTable } from './handler';
import { routes, serveEngine, type WorkerPort } from './serve';

const methods = {
  count: {
    params: z.object({ to: z.number().int().min(1) }).strict(),
    result: z.object({ counted: z.number() }),
    progress: z.object({ at: z.number() }),
  },
} satisfies Record<string, EngineMethod>;

const handlers: HandlerTable<typeof methods> = {
  count: async ({ to }, ctx) => {
    for (let at = 1; at <= to; at++) {
      await ctx.checkpoint();
      ctx.progress({ at });
    }
    return { counted: to };
  },
};

function serve() {
  const sent: WorkerMessage[] = [];
  let deliver: (message: unknown) => void = () => {};
  const exits: number[] = [];
  const port: WorkerPort = {
    post: (m) => sent.push(m),
    onMessage: (l) => (deliver = l),
    exit: (code) => exits.push(code),
  };
  serveEngine(port, { threads: 1, spinThreads: false, testHooks: false }, routes(methods, handlers));
  const responses = () => sent.filter((m) => m.type === 'response');
  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, deliver: (m: unknown) => deliver(m), exits, responses, until };
}

describe('serveEngine', () => {
  it('runs a handler, relays its progress and answers with its result', async () => {
    const w = serve();
    w.deliver({ type: 'request', id: 1, method: 'count', params: { to: 3 } });
    await w.until(() => w.responses().length === 1);
    expect(w.sent).toEqual([
      { type: 'progress', id: 1, data: { at: 1 } },
      { type: 'progress', id: 1, data: { at: 2 } },
      { type: 'progress', id: 1, data: { at: 3 } },
      { type: 'response', id: 1, ok: true, result: { counted: 3 } },
    ]);
  });

  it('answers unknown methods and invalid parameters with user errors naming the field', async () => {
    const w = serve();
    w.deliver({ type: 'request', id: 1, method: 'nope', params: {} });
    w.deliver({ type: 'request', id: 2, method: 'count', params: { to: 0 } });
    await w.until(() => w.responses().length === 2);
    expect(w.responses()).toEqual([
      { type: 'response', id: 1, ok: false, error: expect.objectContaining({ kind: 'user', code: 'unknown-method' }) },
      {
        type: 'response',
        id: 2,
        ok: false,
        error: expect.objectContaining({ kind: 'user', code: 'validation', where: 'engine.count: to' }),
      },
    ]);
  });

  it('cancels at the next step boundary', async () => {
    const w = serve();
    w.deliver({ type: 'request', id: 7, method: 'count', params: { to: 1_000_000 } });
    await w.until(() => w.sent.length >= 2);
    w.deliver({ type: 'cancel', id: 7 });
    await w.until(() => w.responses().length === 1);
    expect(w.responses()[0]).toEqual({
      type: 'response',
      id: 7,
      ok: false,
      error: { kind: 'cancelled', message: 'count was cancelled' },
    });
    expect(w.sent.length).toBeLessThan(100);
  });

  it('on shutdown cancels what runs, waits for it, then exits 0', async () => {
    const w = serve();
    w.deliver({ type: 'request', id: 1, method: 'count', params: { to: 1_000_000 } });
    await w.until(() => w.sent.length >= 1);
    w.deliver({ type: 'shutdown' });
    await w.until(() => w.exits.length === 1);
    expect(w.exits).toEqual([0]);
    expect(w.responses()).toEqual([
      expect.objectContaining({ id: 1, ok: false, error: expect.objectContaining({ kind: 'cancelled' }) }),
    ]);
  });
});
