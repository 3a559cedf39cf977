// One Playground run at a time: starts it (a model's prompt through generation.start, or one input through a
// specialization's template), follows its onToken / onFinished events and cancels it (also when the Playground
// closes). Events that arrive before the start call has answered with the run id are held and replayed.
import { useCallback, useState } from 'react';
import type { GenerationResult } from '../../../../shared/contract';
import { useRunStreams, withResult, withToken } from '../../api/run-streams';

/** What a start call answers: the run id, and the seed (generation.start) or the rendered prompt (a specialization). */
export interface RunStarted {
  readonly runId: string;
  readonly seed?: number;
  readonly prompt?: string;
}

export type RunPhase = 'idle' | 'starting' | 'running' | 'finished' | 'failed';

export interface RunView {
  readonly phase: RunPhase;
  readonly runId: string | null;
  readonly seed: number | null;
  /** The text the model was given, when a template rendered it. */
  readonly prompt: string | null;
  /** The streamed text of the (single) prompt so far; the result's text once finished. */
  readonly text: string;
  readonly generatedTokens: number;
  readonly result: GenerationResult | null;
  /** Why start() or the run failed (a UserError names the field or file). */
  readonly error: unknown;
  readonly cancelling: boolean;
}

const IDLE: RunView = {
  phase: 'idle',
  runId: null,
  seed: null,
  prompt: null,
  text: '',
  generatedTokens: 0,
  result: null,
  error: undefined,
  cancelling: false,
};

export function useGenerationRun() {
  const [view, setView] = useState<RunView>(IDLE);
  const streams = useRunStreams<null>((_run, update) => {
    if (update.kind === 'token') setView((v) => withToken(v, update.token));
    else if (update.kind === 'finished')
      setView((v) => ({
        ...withResult(v, update.result),
        phase: 'finished',
        result: update.result,
        cancelling: false,
      }));
    else setView((v) => ({ ...v, phase: 'failed', error: update.error, cancelling: false }));
  }, 'report');

  const start = useCallback(
    async (call: () => Promise<RunStarted>) => {
      if (!streams.begin()) return; // one run at a time
      setView({ ...IDLE, phase: 'starting' });
      await streams.launch(null, call, {
        started: ({ runId, seed, prompt }) =>
          setView((v) => ({ ...v, phase: 'running', runId, seed: seed ?? null, prompt: prompt ?? null })),
        failed: (error) => setView({ ...IDLE, phase: 'failed', error }),
      });
    },
    [streams],
  );

  // While start() is in flight the run is cancelled once its id is known.
  const cancel = useCallback(() => {
    if (streams.cancel()) setView((v) => ({ ...v, cancelling: true }));
  }, [streams]);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, start, cancel, busy };
}
