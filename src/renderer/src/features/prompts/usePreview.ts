// The rendered prompt for one dataset row, from templates.preview: of a saved version, or of the editor's unsaved
// text, with its token count when a model is chosen. Asked again a moment after the last change (not on every keystroke); an answer to an older request is dropped.
import { useEffect, useState } from 'react';
import type { RenderedPrompt } from '../../../../shared/contract';
import { useApi } from '../../api';

const SETTLE_MS = 250;

export type PreviewTemplate = { readonly versionId: string } | { readonly source: string; readonly system: string | null; readonly chat: boolean };

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
  const key = request === null ? null : JSON.stringify(request);
  useEffect(() => {
    if (key === null) return;
    const arg = JSON.parse(key) as PreviewRequest;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.templates
        .preview({
          ...arg.template, datasetVersionId: arg.datasetVersionId, rowIdx: arg.rowIdx, demonstrationSetVersionId: arg.demonstrationSetVersionId,
          ...(arg.modelId ? { modelId: arg.modelId } : {}),
        })
        .then(
          (rendered) => current && setState({ rendered, error: undefined, loading: false }),
          (error: unknown) => current && setState({ rendered: undefined, error, loading: false }),
        );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key]);
  return request === null ? { rendered: undefined, error: undefined, loading: false } : state;
}
