// Several specializations answering one input at once (specializations.try), each streamed through the generation
// events of its own run id. Events that arrive before try() has answered with the id are held and replayed; Cancel
// stops every run (also a run whose id is not known yet, as soon as it is); unmounting cancels what is left.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GeneratedRow, GenerationFinished, TokenDelta } from '../../../../shared/contract';
import { CancelledError, fromErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api';

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

type RunEvent = { kind: 'token'; payload: TokenDelta } | { kind: 'finished'; payload: GenerationFinished };

const STARTING: LiveRun = { phase: 'starting', text: '', generatedTokens: 0, prompt: null, row: null, error: undefined };

export function useLiveRuns() {
  const api = useApi();
  const [runs, setRuns] = useState<Record<string, LiveRun>>({});
  /** runId -> specialization id, for the runs of the current round. */
  const owners = useRef(new Map<string, string>());
  /** Events for run ids not known yet, while some try() is in flight. */
  const held = useRef<RunEvent[]>([]);
  const pending = useRef(0);
  const cancelWanted = useRef(false);
  const round = useRef(0);

  const apply = useCallback((specId: string, event: RunEvent) => {
    setRuns((all) => {
      const r = all[specId];
      if (!r) return all;
      if (event.kind === 'token') {
        if (event.payload.row !== 0 || r.phase !== 'running') return all;
        return { ...all, [specId]: { ...r, text: r.text + event.payload.delta, generatedTokens: event.payload.generatedTokens } };
      }
      const f = event.payload;
      if (!f.ok) return { ...all, [specId]: { ...r, phase: 'failed', error: fromErrorShape(f.error) } };
      const row = f.result.rows[0] ?? null;
      return { ...all, [specId]: { ...r, phase: 'finished', row, text: row?.text ?? r.text, generatedTokens: row?.generatedTokens ?? r.generatedTokens } };
    });
  }, []);

  useEffect(() => {
    const route = (event: RunEvent) => {
      const owner = owners.current.get(event.payload.runId);
      if (owner !== undefined) {
        apply(owner, event);
        if (event.kind === 'finished') owners.current.delete(event.payload.runId);
      } else if (pending.current > 0) held.current.push(event);
    };
    const offToken = api.generation.onToken((payload) => route({ kind: 'token', payload }));
    const offFinished = api.generation.onFinished((payload) => route({ kind: 'finished', payload }));
    return () => {
      offToken();
      offFinished();
    };
  }, [api, apply]);

  const cancel = useCallback(() => {
    if (pending.current > 0) cancelWanted.current = true;
    for (const runId of owners.current.keys()) void api.generation.cancel({ runId }).catch(() => undefined);
  }, [api]);

  useEffect(() => () => {
    for (const runId of owners.current.keys()) void api.generation.cancel({ runId }).catch(() => undefined);
  }, [api]);

  const start = useCallback(
    (specIds: readonly string[], fields: Record<string, string>) => {
      if (pending.current > 0 || owners.current.size > 0) return;
      const mine = ++round.current;
      cancelWanted.current = false;
      held.current = [];
      setRuns(Object.fromEntries(specIds.map((id) => [id, STARTING])));
      for (const specializationId of specIds) {
        pending.current++;
        api.specializations
          .try({ specializationId, fields })
          .then(
            ({ runId, prompt }) => {
              if (mine !== round.current) return;
              owners.current.set(runId, specializationId);
              setRuns((all) => ({ ...all, [specializationId]: { ...(all[specializationId] ?? STARTING), phase: 'running', prompt } }));
              const early = held.current.filter((e) => e.payload.runId === runId);
              held.current = held.current.filter((e) => e.payload.runId !== runId);
              for (const event of early) {
                apply(specializationId, event);
                if (event.kind === 'finished') owners.current.delete(runId);
              }
              if (cancelWanted.current && owners.current.has(runId)) void api.generation.cancel({ runId }).catch(() => undefined);
            },
            (error: unknown) => {
              if (mine !== round.current) return;
              setRuns((all) => ({ ...all, [specializationId]: { ...STARTING, phase: 'failed', error } }));
            },
          )
          .finally(() => {
            pending.current--;
            if (pending.current === 0) held.current = [];
          });
      }
    },
    [api, apply],
  );

  const busy = Object.values(runs).some((r) => r.phase === 'starting' || r.phase === 'running');
  const cancelled = (r: LiveRun) => r.row?.finishReason === 'cancelled' || r.error instanceof CancelledError;
  return { runs, start, cancel, busy, cancelled };
}
