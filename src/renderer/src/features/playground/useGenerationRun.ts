// One Playground run at a time: starts it, follows its onToken / onFinished events and cancels it (also when the
// Playground closes). Events that arrive before start() has answered with the run id are held and replayed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerationFinished, GenerationResult, PlaygroundPrompt, TokenDelta, DecodingOverrides } from '../../../../shared/contract';
import { fromErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api';

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

type RunEvent = { kind: 'token'; payload: TokenDelta } | { kind: 'finished'; payload: GenerationFinished };

export function useGenerationRun() {
  const api = useApi();
  const [view, setView] = useState<RunView>(IDLE);
  const runId = useRef<string | null>(null);
  /** Events received while start() is in flight (the run id is not known yet). */
  const held = useRef<RunEvent[] | null>(null);
  const cancelWanted = useRef(false);

  const apply = useCallback((event: RunEvent) => {
    if (event.kind === 'token') {
      const t = event.payload;
      if (t.row !== 0) return;
      setView((v) => (v.phase === 'running' ? { ...v, text: v.text + t.delta, generatedTokens: t.generatedTokens } : v));
      return;
    }
    const f = event.payload;
    runId.current = null;
    setView((v) =>
      f.ok
        ? { ...v, phase: 'finished', result: f.result, text: f.result.rows[0]?.text ?? v.text, generatedTokens: f.result.rows[0]?.generatedTokens ?? v.generatedTokens, cancelling: false }
        : { ...v, phase: 'failed', error: fromErrorShape(f.error), cancelling: false },
    );
  }, []);

  useEffect(() => {
    const route = (event: RunEvent) => {
      if (event.payload.runId === runId.current) apply(event);
      else held.current?.push(event);
    };
    const offToken = api.generation.onToken((payload) => route({ kind: 'token', payload }));
    const offFinished = api.generation.onFinished((payload) => route({ kind: 'finished', payload }));
    return () => {
      offToken();
      offFinished();
    };
  }, [api, apply]);

  // Closing the Playground ends its run: nobody would see the rest.
  useEffect(
    () => () => {
      if (runId.current !== null) void api.generation.cancel({ runId: runId.current }).catch(() => undefined);
    },
    [api],
  );

  const start = useCallback(
    async (arg: { modelId: string; prompts: PlaygroundPrompt[]; settings: DecodingOverrides }) => {
      if (held.current !== null || runId.current !== null) return; // one run at a time
      held.current = [];
      cancelWanted.current = false;
      setView({ ...IDLE, phase: 'starting' });
      try {
        const started = await api.generation.start(arg);
        runId.current = started.runId;
        setView((v) => ({ ...v, phase: 'running', runId: started.runId, seed: started.seed }));
        const early = (held.current ?? []).filter((e) => e.payload.runId === started.runId);
        held.current = null;
        for (const event of early) apply(event);
        if (cancelWanted.current && runId.current !== null) void api.generation.cancel({ runId: started.runId });
      } catch (error) {
        held.current = null;
        setView({ ...IDLE, phase: 'failed', error });
      }
    },
    [api, apply],
  );

  const cancel = useCallback(() => {
    if (held.current !== null) cancelWanted.current = true; // start() in flight: cancel once the id is known
    const id = runId.current;
    if (id === null && held.current === null) return;
    setView((v) => ({ ...v, cancelling: true }));
    if (id !== null) void api.generation.cancel({ runId: id });
  }, [api]);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, start, cancel, busy };
}
