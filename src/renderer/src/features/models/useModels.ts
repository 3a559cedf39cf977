// The open workspace's registered models and the bundled ones, kept fresh by models.onChanged.
import { useEffect } from 'react';
import type { BundledModel, ModelRecord } from '../../../../shared/contract';
import { useApi, useLoad, type Loaded } from '../../api';
import { useWorkspace } from '../workspace/WorkspaceProvider';

export function useModels(): { models: Loaded<ModelRecord[]>; bundled: Loaded<BundledModel[]> } {
  const models = useModelList();
  // The bundled list says which bundled models are registered, so it follows the model list.
  const bundled = useLoad((a) => a.models.bundled({}), [models.data]);
  return { models, bundled };
}

/** The registered models alone, kept fresh (a model added while a screen is open, as the demo workspace does). */
export function useModelList(): Loaded<ModelRecord[]> {
  const api = useApi();
  const workspaceId = useWorkspace().current?.id;
  const models = useLoad((a) => a.models.list({}), [workspaceId]);
  const reload = models.reload;
  useEffect(() => api.models.onChanged(() => reload()), [api, reload]);
  return models;
}
