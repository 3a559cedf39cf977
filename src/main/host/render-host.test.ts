// The render worker and its host, for real (a worker thread running the bundled render-worker): hostile templates are
// stopped off the main thread while the main thread keeps answering; a cancelled render and a render that goes silent
// past the watchdog get their thread terminated and the next render a fresh one; a batch costs one round trip.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/errors';
import { TemplateFailureError } from '../engine/templates/parse';
import { RenderHost } from './render-host';
import { renderWorkerScript } from './testing/engine-worker-script';

const hostile = (name: string): string =>
  readFileSync(join(__dirname, '../engine/templates/fixtures/hostile', name), 'utf8');
/** Limits no render reaches: only a cancel or the watchdog can stop such a render. */
const UNBOUNDED = { steps: Number.MAX_SAFE_INTEGER, timeMs: Number.MAX_SAFE_INTEGER, listItems: 1e7 };
const ENDLESS = '{% for i in range(10000000) %}{% for j in range(10000000) %}{% endfor %}{% endfor %}';
const HOG =
  '{% set ns = namespace(s="x", a=[]) %}{% for i in range(17) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}' +
  '{% for i in range(2000) %}{% set ns.a = ns.a + [(ns.s ~ i) | upper] %}{% endfor %}{{ ns.a | length }}';

let script: string;
let host: RenderHost;
beforeAll(async () => {
  script = await renderWorkerScript();
  host = new RenderHost(script);
});
afterAll(() => host.dispose());

/** Largest gap between timer ticks while `work` runs: how long the main thread's event loop was held. */
async function longestStall<T>(
  work: Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; stallMs: number; ticks: number }> {
  let last = performance.now();
  let stallMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    ticks += 1;
  }, 10);
  const [result] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { result, stallMs, ticks };
}

describe('RenderHost', () => {
  it('renders rows in the worker, with warnings, and a failing row as its result', async () => {
    const out = await host.render({
      source: '{{ message | upper }}{{ extra }}',
      rows: [{ message: 'a' }, { message: 1 }],
      warnUndefined: true,
    });
    expect(out[0]).toMatchObject({ ok: true, text: 'A', warnings: [{ name: 'extra', line: 1 }] });
    expect(out[1]).toMatchObject({
      ok: false,
      failure: { code: 'template-render', message: expect.stringMatching(/"upper" cannot be applied to a number/) },
    });
  });

  it('rejects a template that does not parse with the plain message', async () => {
    await expect(host.render({ source: 'x {{ {"a": 1 }}', rows: [{}], warnUndefined: false })).rejects.toThrow(
      'Expected "}}" here but found "}" (line 1, column 3)',
    );
  });

  it('stops an endless nested loop while the main thread keeps answering', async () => {
    const { result, stallMs, ticks } = await longestStall(
      host.render({ source: hostile('nested-range-loop.jinja'), rows: [{}], warnUndefined: false }),
    );
    expect(result.status).toBe('fulfilled');
    const [row] = (result as PromiseFulfilledResult<Awaited<ReturnType<RenderHost['render']>>>).value;
    expect(row).toMatchObject({ ok: false, failure: { code: 'template-too-long' } });
    // The render took seconds; the event loop was never held for long (a second is far above a timer's jitter).
    expect(ticks).toBeGreaterThan(10);
    expect(stallMs).toBeLessThan(1000);
  });

  it('terminates the worker when a render is cancelled mid-row, and the next render gets a fresh one', async () => {
    const own = new RenderHost(script);
    const controller = new AbortController();
    // The first row ends at once (n = 1) and reports progress; the second would never end: cancel it mid-row.
    const source = '{% for i in range(n) %}{% for j in range(n) %}{% endfor %}{% endfor %}';
    const rendering = own.render(
      { source, rows: [{ n: 1 }, { n: 10_000_000 }], warnUndefined: false, limits: UNBOUNDED },
      controller.signal,
      () => controller.abort(),
    );
    await expect(rendering).rejects.toBeInstanceOf(CancelledError);
    expect(own.terminated).toBe(1);
    expect(await own.render({ source: '{{ 1 + 1 }}', rows: [{}], warnUndefined: false })).toEqual([
      { ok: true, text: '2', warnings: [] },
    ]);
    expect(own.started).toBe(2);
    await own.dispose();
  });

  it('terminates a worker that goes silent past the watchdog, with a plain message', async () => {
    const own = new RenderHost(script, { watchdogMs: 300 });
    const error = await own
      .render({ source: ENDLESS, rows: [{}], warnUndefined: false, limits: UNBOUNDED })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateFailureError);
    expect((error as TemplateFailureError).failure).toMatchObject({
      code: 'template-too-long',
      message: 'The template was stopped: it ran for over 0 seconds without finishing',
    });
    expect(own.terminated).toBe(1);
    expect(await own.render({ source: 'ok', rows: [{}], warnUndefined: false })).toEqual([
      { ok: true, text: 'ok', warnings: [] },
    ]);
    await own.dispose();
  });

  it('does not count a slow worker start against the watchdog (a busy machine is slow, not stuck)', async () => {
    // The thread blocks for 1.5 s before it loads the renderer: five times the watchdog.
    const dir = mkdtempSync(join(tmpdir(), 'dovetail-render-start-'));
    const slow = join(dir, 'slow-render-worker.mjs');
    writeFileSync(
      slow,
      `const until = Date.now() + 1500; while (Date.now() < until) {}\nawait import(${JSON.stringify(pathToFileURL(script).href)});\n`,
    );
    const own = new RenderHost(slow, { watchdogMs: 300 });
    try {
      expect(await own.render({ source: 'ok', rows: [{}], warnUndefined: false })).toEqual([
        { ok: true, text: 'ok', warnings: [] },
      ]);
      expect(own.terminated).toBe(0);
    } finally {
      await own.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a worker that runs out of memory, saying so, and carries on', async () => {
    const own = new RenderHost(script, { memoryMb: 32 });
    // Each string (131,072 characters) is under the output cap; 2,000 of them kept in a list outgrow a 32 MB heap.
    const error = await own
      .render({ source: HOG, rows: [{}], warnUndefined: false, limits: UNBOUNDED })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateFailureError);
    expect((error as TemplateFailureError).failure.message).toMatch(/more memory than one render may/);
    expect(await own.render({ source: 'ok', rows: [{}], warnUndefined: false })).toEqual([
      { ok: true, text: 'ok', warnings: [] },
    ]);
    await own.dispose();
  });

  it('renders a batch in one round trip: measured against one request per row', async () => {
    const rows = Array.from({ length: 2000 }, (_v, i) => ({ message: `message ${i}`, examples: [] }));
    const source = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
    const t0 = performance.now();
    const batched = await host.render({ source, rows, warnUndefined: true });
    const t1 = performance.now();
    const single = [];
    for (const row of rows) single.push(...(await host.render({ source, rows: [row], warnUndefined: true })));
    const t2 = performance.now();
    expect(single).toEqual(batched);
    console.log(
      `render 2000 rows: one batch ${(t1 - t0).toFixed(0)} ms, one request per row ${(t2 - t1).toFixed(0)} ms`,
    );
  });
});
