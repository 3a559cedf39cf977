// What the training wizard offers from the workspace: every dataset version with its fields, roles and split sizes
// (fresh through datasets.onChanged), the saved templates with their latest version (templates.onChanged), the
// bundled datasets' recipes (the presets' base) and the names adapters and jobs already have (to number a new one).
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
  const recipes = useLoad((a) => a.demo.recipes({}));
  const names = useLoad(async (a) => [
    ...(await a.adapters.list({})).map((x) => x.name),
    ...(await a.adapters.jobs({})).map((j) => j.name),
  ]);
  const { reload: reloadDatasets } = datasets;
  const { reload: reloadTemplates } = templates;
  useEffect(() => api.datasets.onChanged(() => reloadDatasets()), [api, reloadDatasets]);
  useEffect(
    () => api.templates.onChanged(({ kind }) => (kind === 'template' ? reloadTemplates() : undefined)),
    [api, reloadTemplates],
  );
  return { datasets, templates, recipes, names };
}
