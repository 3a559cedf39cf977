// One Playground run at a time: starts it, follows its onToken / onFinished events and cancels it (also when the
// Playground closes). Events that arrive before start() has answered with the run id are held and replayed.
import { useCallback, useState } from 'react';
import type { GenerationResult, PlaygroundPrompt, DecodingOverrides } from '../../../../shared/contract';
import { useApi } from '../../api';
import { useRunStreams, withResult, withToken } from '../../api/run-streams';

export type RunPhase = 'idle' | 'starting' | 'running' | 'finished' | 'failed';

export interface RunView {
  readonly phase: RunPhase;
  readonly runId: string | null;
  readonly seed: number | null;
  /** The streamed text of the (single) prompt so far; the result's text once finished. */
  readonly text: string;
  readonly generatedTokens: number;
  readonly result: GenerationResult | null;
  /** Why start() or the run failed (a UserError names the field or file). */
  readonly error: unknown;
  readonly cancelling: boolean;
}

const IDLE: RunView = { phase: 'idle', runId: null, seed: null, text: '', generatedTokens: 0, result: null, error: undefined, cancelling: false };

export function useGenerationRun() {
  const api = useApi();
  const [view, setView] = useState<RunView>(IDLE);
  const streams = useRunStreams<null>((_run, update) => {
    if (update.kind === 'token') setView((v) => withToken(v, update.token));
    else if (update.kind === 'finished') setView((v) => ({ ...withResult(v, update.result), phase: 'finished', result: update.result, cancelling: false }));
    else setView((v) => ({ ...v, phase: 'failed', error: update.error, cancelling: false }));
  }, 'report');

  const start = useCallback(
    async (arg: { modelId: string; prompts: PlaygroundPrompt[]; settings: DecodingOverrides }) => {
      if (!streams.begin()) return; // one run at a time
      setView({ ...IDLE, phase: 'starting' });
      await streams.launch(null, () => api.generation.start(arg), {
        started: ({ runId, seed }) => setView((v) => ({ ...v, phase: 'running', runId, seed })),
        failed: (error) => setView({ ...IDLE, phase: 'failed', error }),
      });
    },
    [api, streams],
  );

  // While start() is in flight the run is cancelled once its id is known.
  const cancel = useCallback(() => {
    if (streams.cancel()) setView((v) => ({ ...v, cancelling: true }));
  }, [streams]);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, start, cancel, busy };
}
