export { SpecializationsService, componentsOf, type SpecializationsServiceDeps } from './specializations-service';
export { promptFor, resolveSpecialization, type ResolvedSpecialization } from './resolve';
