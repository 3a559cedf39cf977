// A live run of the previewed row (templates.run): one at a time, its text streamed from generation.onToken, its end
// from generation.onFinished, cancelled through generation.cancel (also when the preview goes away). Events that
// arrive before templates.run has answered with the run id are held and replayed.
import { useCallback, useState } from 'react';
import { CancelledError } from '../../../../shared/errors';
import { useApi } from '../../api';
import { useRunStreams, withResult, withToken } from '../../api/run-streams';
import type { PreviewRequest } from './usePreview';

export type PromptRunPhase = 'idle' | 'starting' | 'running' | 'finished' | 'cancelled' | 'failed';

export interface PromptRunView {
  readonly phase: PromptRunPhase;
  readonly runId: string | null;
  readonly text: string;
  readonly generatedTokens: number;
  readonly error: unknown;
}

export interface PromptRunRequest extends PreviewRequest {
  readonly modelId: string;
  readonly adapterId: string | null;
}

const IDLE: PromptRunView = { phase: 'idle', runId: null, text: '', generatedTokens: 0, error: undefined };

export function usePromptRun() {
  const api = useApi();
  const [view, setView] = useState<PromptRunView>(IDLE);
  const streams = useRunStreams<null>((_run, update) => {
    if (update.kind === 'token') setView((v) => withToken(v, update.token));
    else if (update.kind === 'failed')
      setView((v) =>
        update.error instanceof CancelledError
          ? { ...v, phase: 'cancelled' }
          : { ...v, phase: 'failed', error: update.error },
      );
    // A run that ends on its own just after Esc still reads as stopped.
    else
      setView((v) => ({ ...withResult(v, update.result), phase: streams.cancelRequested ? 'cancelled' : 'finished' }));
  }, 'report');

  const start = useCallback(
    async (r: PromptRunRequest) => {
      if (!streams.begin()) return;
      setView({ ...IDLE, phase: 'starting' });
      await streams.launch(
        null,
        () =>
          api.templates.run({
            ...r.template,
            datasetVersionId: r.datasetVersionId,
            rowIdx: r.rowIdx,
            demonstrationSetVersionId: r.demonstrationSetVersionId,
            modelId: r.modelId,
            adapterId: r.adapterId,
          }),
        {
          started: ({ runId }) => setView((v) => ({ ...v, phase: 'running', runId })),
          failed: (error) => setView({ ...IDLE, phase: 'failed', error }),
        },
      );
    },
    [api, streams],
  );

  // While templates.run is in flight: cancelled once the id is known.
  const cancel = useCallback(() => void streams.cancel(), [streams]);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, start, cancel, busy };
}
