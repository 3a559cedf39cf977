// The model registry service: what the composition root constructs.
export { ModelsService, type ModelsServiceDeps } from './models-service';
