export { ServingService, type ServingServiceDeps } from './serving-service';
export type { OpenServingServer, ServerRequest, ServingBackend, StartedServer } from './backend';
