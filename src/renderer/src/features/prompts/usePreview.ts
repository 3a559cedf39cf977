// The rendered prompt for one dataset row, from templates.preview: of a saved version, or of the editor's unsaved
// text, with its token count when a model is chosen. Asked a moment after the last change (not on every keystroke),
// one request at a time (latest-only.ts says why); an answer to an older request is dropped.
import { useEffect, useMemo, useState } from 'react';
import type { RenderedPrompt } from '../../../../shared/contract';
import { useApi } from '../../api';
import { latestOnly } from './latest-only';

const SETTLE_MS = 250;

export type PreviewTemplate =
  { readonly versionId: string } | { readonly source: string; readonly system: string | null; readonly chat: boolean };

export interface PreviewRequest {
  readonly template: PreviewTemplate;
  readonly datasetVersionId: string;
  readonly rowIdx: number;
  readonly demonstrationSetVersionId: string | null;
  /** Counts the prompt's tokens with this model (null: no count). */
  readonly modelId?: string | null;
}

export interface PreviewState {
  readonly rendered: RenderedPrompt | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

export function usePreview(request: PreviewRequest | null): PreviewState {
  const api = useApi();
  const [state, setState] = useState<PreviewState>({ rendered: undefined, error: undefined, loading: false });
  const queue = useMemo(
    () =>
      latestOnly(
        (arg: PreviewRequest) =>
          api.templates.preview({
            ...arg.template,
            datasetVersionId: arg.datasetVersionId,
            rowIdx: arg.rowIdx,
            demonstrationSetVersionId: arg.demonstrationSetVersionId,
            ...(arg.modelId ? { modelId: arg.modelId } : {}),
          }),
        (outcome) =>
          setState(
            outcome.ok
              ? { rendered: outcome.value, error: undefined, loading: false }
              : { rendered: undefined, error: outcome.error, loading: false },
          ),
      ),
    [api],
  );
  useEffect(() => () => queue.cancel(), [queue]);
  const key = request === null ? null : JSON.stringify(request);
  useEffect(() => {
    // An answer to the request before this one is of no use any more (one still out is let finish, unseen).
    queue.cancel();
    if (key === null) return;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => queue.ask(JSON.parse(key) as PreviewRequest), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [queue, key]);
  return request === null ? { rendered: undefined, error: undefined, loading: false } : state;
}
