// RunStreams against a fake generation API: events reach the key that owns their run, early events are replayed,
// one round at a time, cancel reaches runs whose id is not known yet, unmounting cancels quietly.
import { describe, expect, it } from 'vitest';
import type { GeneratedRow, GenerationFinished, GenerationResult, TokenDelta } from '../../../shared/contract';
import { CancelledError, UserError } from '../../../shared/errors';
import { RunStreams, withResult, withToken, type CancelFailures, type RunUpdate } from './run-streams';

function fakeGeneration(cancelFails = false) {
  const tokenListeners = new Set<(t: TokenDelta) => void>();
  const finishedListeners = new Set<(f: GenerationFinished) => void>();
  const cancelled: string[] = [];
  return {
    cancelled,
    listeners: () => tokenListeners.size + finishedListeners.size,
    token: (runId: string, delta: string, generatedTokens: number, row = 0) =>
      tokenListeners.forEach((l) => l({ runId, row, delta, generatedTokens })),
    finish: (f: GenerationFinished) => finishedListeners.forEach((l) => l(f)),
    generation: {
      onToken: (l: (t: TokenDelta) => void) => (tokenListeners.add(l), () => void tokenListeners.delete(l)),
      onFinished: (l: (f: GenerationFinished) => void) => (
        finishedListeners.add(l),
        () => void finishedListeners.delete(l)
      ),
      cancel: async ({ runId }: { runId: string }) => {
        cancelled.push(runId);
        if (cancelFails) throw new Error('link down');
        return { cancelled: true };
      },
    },
  };
}

function setup(cancelFailures: CancelFailures = 'report', cancelFails = false) {
  const fake = fakeGeneration(cancelFails);
  const updates: [string, RunUpdate][] = [];
  const streams = new RunStreams<string>(
    fake.generation as never,
    (key, update) => updates.push([key, update]),
    cancelFailures,
  );
  const stop = streams.listen();
  return { fake, updates, streams, stop };
}

/** A launch call that answers when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const row = (text: string, generatedTokens: number): GeneratedRow => ({
  text,
  tokenIds: [],
  finishReason: 'eos',
  stopString: null,
  promptTokens: 3,
  generatedTokens,
  seed: 1,
  timeToFirstTokenMs: 1,
  totalMs: 2,
  tokensPerSecond: null,
});
const result = (rows: GeneratedRow[]) =>
  ({
    modelId: 'm',
    contentHash: 'h',
    settings: {},
    seed: 1,
    rows,
    loadMs: 0,
    totalMs: 2,
  }) as unknown as GenerationResult;

describe('RunStreams', () => {
  it("routes each run's tokens and end to the key that launched it, and ignores other runs", async () => {
    const { fake, updates, streams } = setup();
    expect(streams.begin()).toBe(true);
    const on = { started: () => undefined, failed: () => undefined };
    await Promise.all([
      streams.launch('a', async () => ({ runId: 'r1' }), on),
      streams.launch('b', async () => ({ runId: 'r2' }), on),
    ]);
    fake.token('r2', 'Hi', 1);
    fake.token('r1', 'Yo', 1);
    fake.token('elsewhere', 'x', 1);
    fake.finish({ runId: 'r1', ok: true, result: result([row('Yo', 1)]) });
    expect(updates.map(([key, u]) => [key, u.kind])).toEqual([
      ['b', 'token'],
      ['a', 'token'],
      ['a', 'finished'],
    ]);
    expect(streams.active).toBe(true);
    fake.finish({ runId: 'r2', ok: false, error: { kind: 'user', message: 'Too long', where: 'prompt' } });
    const failed = updates.at(-1)?.[1];
    expect(failed?.kind === 'failed' && failed.error).toBeInstanceOf(UserError);
    expect(streams.active).toBe(false);
  });

  it('holds the events that come before the launch call answers, and replays them in order', async () => {
    const { fake, updates, streams } = setup();
    const call = deferred<{ runId: string }>();
    const started: string[] = [];
    streams.begin();
    const launched = streams.launch('a', () => call.promise, {
      started: ({ runId }) => started.push(runId),
      failed: () => undefined,
    });
    fake.token('r1', 'He', 1);
    fake.token('other', '??', 1);
    fake.token('r1', 'llo', 2);
    fake.finish({ runId: 'r1', ok: false, error: { kind: 'cancelled', message: 'Stopped' } });
    expect(updates).toEqual([]);
    call.resolve({ runId: 'r1' });
    await launched;
    expect(started).toEqual(['r1']);
    expect(updates.map(([, u]) => (u.kind === 'token' ? u.token.delta : u.kind))).toEqual(['He', 'llo', 'failed']);
    const end = updates.at(-1)?.[1];
    expect(end?.kind === 'failed' && end.error).toBeInstanceOf(CancelledError);
    expect(streams.active).toBe(false);
    // Nothing is held once no launch is in flight.
    fake.token('other', '!!', 2);
    expect(updates).toHaveLength(3);
  });

  it('runs one round at a time', async () => {
    const { fake, streams } = setup();
    const call = deferred<{ runId: string }>();
    expect(streams.begin()).toBe(true);
    const launched = streams.launch('a', () => call.promise, { started: () => undefined, failed: () => undefined });
    expect(streams.active).toBe(true);
    expect(streams.begin()).toBe(false);
    call.resolve({ runId: 'r1' });
    await launched;
    expect(streams.begin()).toBe(false);
    fake.finish({ runId: 'r1', ok: true, result: result([]) });
    expect(streams.begin()).toBe(true);
  });

  it('reports a failed launch and is idle again', async () => {
    const { streams } = setup();
    const failures: unknown[] = [];
    streams.begin();
    await streams.launch('a', () => Promise.reject(new UserError('No model')), {
      started: () => undefined,
      failed: (e) => failures.push(e),
    });
    await streams.launch(
      'b',
      () => {
        throw new UserError('Thrown at once');
      },
      { started: () => undefined, failed: (e) => failures.push(e) },
    );
    expect(failures.map((e) => (e as Error).message)).toEqual(['No model', 'Thrown at once']);
    expect(streams.active).toBe(false);
  });

  it('cancels the runs it knows and, once its id is known, a run still launching', async () => {
    const { fake, streams } = setup();
    expect(streams.cancel()).toBe(false);
    const call = deferred<{ runId: string }>();
    streams.begin();
    const on = { started: () => undefined, failed: () => undefined };
    await streams.launch('a', async () => ({ runId: 'r1' }), on);
    const launched = streams.launch('b', () => call.promise, on);
    expect(streams.cancel()).toBe(true);
    expect(streams.cancelRequested).toBe(true);
    expect(fake.cancelled).toEqual(['r1']);
    call.resolve({ runId: 'r2' });
    await launched;
    expect(fake.cancelled).toEqual(['r1', 'r2']);
    // A new round starts without the old wish to cancel.
    fake.finish({ runId: 'r1', ok: true, result: result([]) });
    fake.finish({ runId: 'r2', ok: true, result: result([]) });
    expect(streams.begin()).toBe(true);
    expect(streams.cancelRequested).toBe(false);
  });

  it('does not cancel a run that ended before its launch call answered', async () => {
    const { fake, streams } = setup();
    const call = deferred<{ runId: string }>();
    streams.begin();
    const launched = streams.launch('a', () => call.promise, { started: () => undefined, failed: () => undefined });
    streams.cancel();
    fake.finish({ runId: 'r1', ok: true, result: result([]) });
    call.resolve({ runId: 'r1' });
    await launched;
    expect(fake.cancelled).toEqual([]);
  });

  it('on unmount stops listening and cancels what is left, ignoring a cancel that fails', async () => {
    const { fake, updates, streams, stop } = setup('report', true);
    streams.begin();
    const on = { started: () => undefined, failed: () => undefined };
    await streams.launch('a', async () => ({ runId: 'r1' }), on);
    await streams.launch('b', async () => ({ runId: 'r2' }), on);
    fake.finish({ runId: 'r2', ok: true, result: result([]) });
    stop();
    streams.cancelOwned();
    expect(fake.listeners()).toBe(0);
    expect(fake.cancelled).toEqual(['r1']);
    fake.token('r1', 'late', 1);
    expect(updates).toHaveLength(1);
    // The failed cancel was handled: vitest fails a test that leaves a rejection unhandled.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it("with 'ignore', a cancel the user asked for that fails is dropped", async () => {
    const { fake, streams } = setup('ignore', true);
    streams.begin();
    await streams.launch('a', async () => ({ runId: 'r1' }), { started: () => undefined, failed: () => undefined });
    expect(streams.cancel()).toBe(true);
    expect(fake.cancelled).toEqual(['r1']);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('withToken and withResult', () => {
  const running = { phase: 'running', text: 'Hel', generatedTokens: 2, extra: 7 };

  it("appends row 0's delta while running, and leaves the view as it is otherwise", () => {
    expect(withToken(running, { runId: 'r', row: 0, delta: 'lo', generatedTokens: 3 })).toEqual({
      ...running,
      text: 'Hello',
      generatedTokens: 3,
    });
    expect(withToken(running, { runId: 'r', row: 1, delta: 'lo', generatedTokens: 3 })).toBe(running);
    const starting = { ...running, phase: 'starting' };
    expect(withToken(starting, { runId: 'r', row: 0, delta: 'lo', generatedTokens: 3 })).toBe(starting);
  });

  it('takes row 0 of the result as the final text, and keeps the streamed text when there is no row', () => {
    expect(withResult(running, result([row('Hello.', 4)]))).toEqual({ ...running, text: 'Hello.', generatedTokens: 4 });
    expect(withResult(running, result([]))).toEqual(running);
  });
});
