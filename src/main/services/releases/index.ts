export { ReleasesService, type ReleasesServiceDeps } from './releases-service';
