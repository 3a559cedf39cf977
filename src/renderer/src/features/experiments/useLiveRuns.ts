// Several specializations answering one input at once (specializations.try), each streamed through the generation
// events of its own run id. Events that arrive before try() has answered with the id are held and replayed; Cancel
// stops every run (also a run whose id is not known yet, as soon as it is); unmounting cancels what is left.
import { useCallback, useState } from 'react';
import type { GeneratedRow } from '../../../../shared/contract';
import { CancelledError } from '../../../../shared/errors';
import { useApi } from '../../api';
import { useRunStreams, withResult, withToken } from '../../api/run-streams';

export type LivePhase = 'starting' | 'running' | 'finished' | 'failed';

export interface LiveRun {
  readonly phase: LivePhase;
  readonly text: string;
  readonly generatedTokens: number;
  /** The text the model was given (the rendered template), once try() answered. */
  readonly prompt: string | null;
  readonly row: GeneratedRow | null;
  readonly error: unknown;
}

const STARTING: LiveRun = {
  phase: 'starting',
  text: '',
  generatedTokens: 0,
  prompt: null,
  row: null,
  error: undefined,
};

export function useLiveRuns() {
  const api = useApi();
  const [runs, setRuns] = useState<Record<string, LiveRun>>({});
  const streams = useRunStreams<string>((specId, update) => {
    setRuns((all) => {
      const r = all[specId];
      if (!r) return all;
      let next: LiveRun;
      if (update.kind === 'token') next = withToken(r, update.token);
      else if (update.kind === 'finished')
        next = { ...withResult(r, update.result), phase: 'finished', row: update.result.rows[0] ?? null };
      else next = { ...r, phase: 'failed', error: update.error };
      return next === r ? all : { ...all, [specId]: next };
    });
  }, 'ignore');

  const cancel = useCallback(() => void streams.cancel(), [streams]);

  const start = useCallback(
    (specIds: readonly string[], fields: Record<string, string>) => {
      if (!streams.begin()) return;
      setRuns(Object.fromEntries(specIds.map((id) => [id, STARTING])));
      for (const specializationId of specIds) {
        void streams.launch(specializationId, () => api.specializations.try({ specializationId, fields }), {
          started: ({ prompt }) =>
            setRuns((all) => ({
              ...all,
              [specializationId]: { ...(all[specializationId] ?? STARTING), phase: 'running', prompt },
            })),
          failed: (error) =>
            setRuns((all) => ({ ...all, [specializationId]: { ...STARTING, phase: 'failed', error } })),
        });
      }
    },
    [api, streams],
  );

  const busy = Object.values(runs).some((r) => r.phase === 'starting' || r.phase === 'running');
  const cancelled = (r: LiveRun) => r.row?.finishReason === 'cancelled' || r.error instanceof CancelledError;
  return { runs, start, cancel, busy, cancelled };
}
