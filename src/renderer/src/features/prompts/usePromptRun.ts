// A live run of the previewed row (templates.run): one at a time, its text streamed from generation.onToken, its end
// from generation.onFinished, cancelled through generation.cancel (also when the preview goes away). Events that
// arrive before templates.run has answered with the run id are held and replayed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerationFinished, TokenDelta } from '../../../../shared/contract';
import { fromErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api';
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

type RunEvent = { kind: 'token'; payload: TokenDelta } | { kind: 'finished'; payload: GenerationFinished };

export function usePromptRun() {
  const api = useApi();
  const [view, setView] = useState<PromptRunView>(IDLE);
  const runId = useRef<string | null>(null);
  /** Events received while templates.run is in flight (the run id is not known yet); null when none is. */
  const held = useRef<RunEvent[] | null>(null);
  const cancelWanted = useRef(false);

  const apply = useCallback((event: RunEvent) => {
    if (event.kind === 'token') {
      const t = event.payload;
      if (t.row === 0) setView((v) => (v.phase === 'running' ? { ...v, text: v.text + t.delta, generatedTokens: t.generatedTokens } : v));
      return;
    }
    const f = event.payload;
    runId.current = null;
    if (!f.ok) {
      const error = fromErrorShape(f.error);
      setView((v) => (f.error.kind === 'cancelled' ? { ...v, phase: 'cancelled' } : { ...v, phase: 'failed', error }));
      return;
    }
    const row = f.result.rows[0];
    setView((v) => ({ ...v, phase: cancelWanted.current ? 'cancelled' : 'finished', text: row?.text ?? v.text, generatedTokens: row?.generatedTokens ?? v.generatedTokens }));
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

  // Leaving the preview ends its run: nobody would see the rest.
  useEffect(
    () => () => {
      if (runId.current !== null) void api.generation.cancel({ runId: runId.current }).catch(() => undefined);
    },
    [api],
  );

  const start = useCallback(
    async (r: PromptRunRequest) => {
      if (held.current !== null || runId.current !== null) return;
      held.current = [];
      cancelWanted.current = false;
      setView({ ...IDLE, phase: 'starting' });
      try {
        const started = await api.templates.run({
          ...r.template, datasetVersionId: r.datasetVersionId, rowIdx: r.rowIdx, demonstrationSetVersionId: r.demonstrationSetVersionId, modelId: r.modelId, adapterId: r.adapterId,
        });
        runId.current = started.runId;
        setView((v) => ({ ...v, phase: 'running', runId: started.runId }));
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
    if (held.current === null && runId.current === null) return;
    cancelWanted.current = true; // while templates.run is in flight: cancelled once the id is known
    if (runId.current !== null) void api.generation.cancel({ runId: runId.current });
  }, [api]);

  const busy = view.phase === 'starting' || view.phase === 'running';
  return { view, start, cancel, busy };
}
