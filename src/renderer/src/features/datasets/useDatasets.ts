// The Datasets screen's data: the workspace's datasets with their versions (kept fresh by datasets.onChanged), one
// version's facts, and a page of its rows for the grid (loaded per page, split and duplicates filter).
import { useEffect } from 'react';
import type { DatasetSummary, DatasetVersion, RowsPage, SplitName } from '../../../../shared/contract';
import { useApi, useLoad, type Loaded } from '../../api';
import { useWorkspace } from '../workspace/WorkspaceProvider';

export function useDatasetList(): Loaded<DatasetSummary[]> {
  const api = useApi();
  const workspaceId = useWorkspace().current?.id;
  const list = useLoad((a) => a.datasets.list({}), [workspaceId]);
  const reload = list.reload;
  useEffect(() => api.datasets.onChanged(() => reload()), [api, reload]);
  return list;
}

export function useDatasetVersion(versionId: string | undefined): Loaded<DatasetVersion | null> {
  return useLoad((a) => (versionId === undefined ? Promise.resolve(null) : a.datasets.get({ versionId })), [versionId]);
}

export interface RowsQuery {
  readonly versionId: string;
  readonly split: SplitName | null;
  readonly onlyDuplicates: boolean;
  readonly page: number;
  readonly pageSize: number;
}

export function useRowsPage(q: RowsQuery): Loaded<RowsPage> {
  return useLoad(
    (a) =>
      a.datasets.rows({
        versionId: q.versionId,
        split: q.split,
        onlyDuplicates: q.onlyDuplicates,
        offset: q.page * q.pageSize,
        limit: q.pageSize,
      }),
    [q.versionId, q.split, q.onlyDuplicates, q.page, q.pageSize],
  );
}
