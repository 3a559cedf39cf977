export { SpecializationsService, componentsOf, type SpecializationsServiceDeps } from './specializations-service';
export { promptFor, promptsFor, resolveSpecialization, type ResolvedSpecialization } from './resolve';
