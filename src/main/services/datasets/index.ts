// The datasets service: what the composition root constructs, and the synchronous read API (versionFacts,
// readRows, readRowsByKey, latestVersionByName) that the experiments, templates and adapters services use.
export {
  DatasetsService,
  type DatasetRow,
  type DatasetVersionFacts,
  type DatasetsServiceDeps,
} from './datasets-service';
export { removeStaleSpools } from './spool';
