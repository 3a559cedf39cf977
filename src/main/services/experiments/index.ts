export { ExperimentsService, type ExperimentsServiceDeps } from './experiments-service';
