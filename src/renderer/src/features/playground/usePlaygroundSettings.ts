// The Playground's picks and decoding as saved for the open workspace (generation.playgroundSettings), with a "Try it"
// from the Adapters or Experiments screen (#/playground?adapter=<id> or ?specialization=<id>) applied on top once;
// changes are saved a moment after the last one, and at once when the Playground closes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, PlaygroundSettings } from '../../../../shared/contract';
import { useApi } from '../../api';
import { sectionParam } from '../shell/useSection';
import { picksForAdapter, picksForSpecialization, type Picks } from './playground-picks';

const SAVE_AFTER_MS = 400;

/**
 * The saved picks with the address's "Try it" applied; the address then loses its parameter (a reload keeps the picks).
 */
async function initialPicks(api: Api): Promise<Picks> {
  const saved = await api.generation.playgroundSettings({});
  const specializationId = sectionParam('specialization');
  const adapterId = sectionParam('adapter');
  if (specializationId === null && adapterId === null) return saved;
  window.history.replaceState(null, '', '#/playground');
  if (specializationId !== null)
    return picksForSpecialization(await api.specializations.get({ id: specializationId }), saved);
  const adapter = (await api.adapters.list({})).find((a) => a.id === adapterId);
  if (!adapter) return saved;
  // The template version it was trained with, when it was trained here on a saved one.
  const job = adapter.jobId === null ? null : await api.adapters.job({ id: adapter.jobId }).catch(() => null);
  return picksForAdapter(adapter, job?.spec.template.templateVersionId ?? null, saved);
}

export function usePlaygroundSettings() {
  const api = useApi();
  const [initial, setInitial] = useState<Picks | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const pending = useRef<{ value: PlaygroundSettings; timer: ReturnType<typeof setTimeout> } | null>(null);

  useEffect(() => {
    let current = true;
    initialPicks(api).then(
      (picks) => current && setInitial(picks),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [api]);

  const flush = useCallback(() => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    // A failed save loses only the Playground's picks; the ErrorReporter is for what the user asked for.
    api.generation.savePlaygroundSettings(p.value).catch(() => undefined);
  }, [api]);

  const save = useCallback(
    (value: PlaygroundSettings) => {
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { value, timer: setTimeout(flush, SAVE_AFTER_MS) };
    },
    [flush],
  );

  useEffect(() => flush, [flush]);
  return { initial, error, save };
}
