// The Prompts screen's data: templates and demonstration sets (fresh through templates.onChanged), the workspace's
// dataset versions (through datasets.onChanged) with the fields of each dataset's newest version, and one dataset
// version's fields and roles for previews and checks.
import { useEffect } from 'react';
import type {
  DatasetSummary,
  DatasetVersion,
  DemonstrationSetVersion,
  TemplateSummary,
} from '../../../../shared/contract';
import { useApi, useLoad, type Loaded } from '../../api';
import { useWorkspace } from '../workspace/WorkspaceProvider';
import type { DatasetCandidate } from './preview-dataset';

/** One dataset version as the selects offer it. */
export interface DatasetOption {
  readonly versionId: string;
  readonly label: string;
  readonly rowCount: number;
}

/** Every version of every dataset, each dataset's newest first (the order datasets.list gives). */
export function datasetOptions(datasets: readonly DatasetSummary[]): DatasetOption[] {
  return datasets.flatMap((d) =>
    d.versions.map((v) => ({ versionId: v.id, label: `${d.name} v${v.version}`, rowCount: v.rowCount })),
  );
}

export interface PromptsData {
  readonly templates: Loaded<TemplateSummary[]>;
  readonly sets: Loaded<DemonstrationSetVersion[]>;
  readonly datasets: Loaded<DatasetSummary[]>;
  /** Each dataset's newest version with its fields, for choosing a preview dataset that fits a template. */
  readonly newest: Loaded<DatasetCandidate[]>;
}

export function usePromptsData(): PromptsData {
  const api = useApi();
  const workspaceId = useWorkspace().current?.id;
  const templates = useLoad((a) => a.templates.list({}), [workspaceId]);
  const sets = useLoad((a) => a.templates.demonstrationSets({}), [workspaceId]);
  const datasets = useLoad((a) => a.datasets.list({}), [workspaceId]);
  const { reload: reloadTemplates } = templates;
  const { reload: reloadSets } = sets;
  const { reload: reloadDatasets } = datasets;
  useEffect(
    () => api.templates.onChanged((e) => (e.kind === 'template' ? reloadTemplates() : reloadSets())),
    [api, reloadTemplates, reloadSets],
  );
  useEffect(() => api.datasets.onChanged(() => reloadDatasets()), [api, reloadDatasets]);
  const newest = useLoad(
    (a) =>
      Promise.all(
        (datasets.data ?? []).flatMap((d) => (d.versions[0] ? [a.datasets.get({ versionId: d.versions[0].id })] : [])),
      ).then((versions) =>
        versions.map((v) => ({ versionId: v.id, shape: { fields: v.fields.map((f) => f.name), roles: v.roles } })),
      ),
    [datasets.data],
  );
  return { templates, sets, datasets, newest };
}

/** A dataset version's details (fields, roles, split sizes), or null while none is chosen. */
export function useDatasetVersion(versionId: string | null): Loaded<DatasetVersion | null> {
  return useLoad((a) => (versionId === null ? Promise.resolve(null) : a.datasets.get({ versionId })), [versionId]);
}
