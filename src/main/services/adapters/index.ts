// What the composition root uses from the adapters service.
export { AdaptersService, type AdaptersServiceDeps } from './adapters-service';
