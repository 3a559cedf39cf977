// What the training wizard offers from the workspace: every dataset version with its fields, roles and split sizes
// (fresh through datasets.onChanged) and the saved templates with their latest version (templates.onChanged).
import { useEffect } from 'react';
import type { DatasetVersion } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';

export function useWizardData() {
  const api = useApi();
  // datasets.list gives summaries; the split counts and the reference field are on each version.
  const datasets = useLoad(async (a): Promise<DatasetVersion[]> => {
    const list = await a.datasets.list({});
    return Promise.all(list.flatMap((d) => d.versions.map((v) => a.datasets.get({ versionId: v.id }))));
  });
  const templates = useLoad((a) => a.templates.list({}));
  const { reload: reloadDatasets } = datasets;
  const { reload: reloadTemplates } = templates;
  useEffect(() => api.datasets.onChanged(() => reloadDatasets()), [api, reloadDatasets]);
  useEffect(() => api.templates.onChanged(({ kind }) => (kind === 'template' ? reloadTemplates() : undefined)), [api, reloadTemplates]);
  return { datasets, templates };
}
