// Generation from registered models (the Playground's service).
export { GenerationService, type GenerationServiceDeps } from './generation-service';
