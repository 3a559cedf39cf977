export { ExperimentsService, type ExperimentsServiceDeps } from './experiments-service';
export { renderReport, type ReportExtras } from './report';
