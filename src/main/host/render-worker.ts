// Entry of the render worker (a worker thread the render host owns): renders batches of rows through the guarded
// interpreter, off the main thread, so a template that is slow to stop delays no one but its own request; the host
// terminates this thread when a render runs past its wall-clock limit or is cancelled.
import { parentPort } from 'node:worker_threads';
import {
  parseGuarded,
  renderGuarded,
  TemplateFailureError,
  type GuardedTemplate,
} from '../engine/templates/guarded-render';
import type { FromWorker, RowResult, ToWorker } from '../engine/templates/render-protocol';

/** How often a long batch says it is still working (and after its first row), so the host's watchdog can tell slow
 * from stuck. */
const HEARTBEAT_MS = 250;

const port = parentPort;
if (!port) throw new Error('render-worker must be started by the render host as a worker thread');

let cached: GuardedTemplate | null = null;

function parsed(source: string): GuardedTemplate {
  if (cached?.source !== source) cached = parseGuarded(source);
  return cached;
}

port.on('message', ({ id, batch }: ToWorker) => {
  const post = (message: FromWorker): void => port.postMessage(message);
  post({ id, kind: 'started' });
  let template: GuardedTemplate;
  try {
    template = parsed(batch.source);
  } catch (error) {
    if (!(error instanceof TemplateFailureError)) throw error;
    return post({ id, kind: 'unparsable', failure: error.failure });
  }
  const results: RowResult[] = [];
  let lastBeat = performance.now();
  for (const context of batch.rows) {
    try {
      const out = renderGuarded(template, context, {
        warnUndefined: batch.warnUndefined,
        ...(batch.hidden ? { hidden: batch.hidden } : {}),
        ...(batch.limits ? { limits: batch.limits } : {}),
      });
      results.push({ ok: true, text: out.text, warnings: out.warnings });
    } catch (error) {
      if (!(error instanceof TemplateFailureError)) throw error;
      results.push({ ok: false, failure: error.failure });
      if (batch.stopOnError || error.failure.code === 'template-too-long') break;
    }
    if (results.length === 1 || performance.now() - lastBeat > HEARTBEAT_MS) {
      lastBeat = performance.now();
      post({ id, kind: 'alive', rowsDone: results.length });
    }
  }
  post({ id, kind: 'done', results });
});
