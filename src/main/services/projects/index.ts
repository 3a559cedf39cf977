export { ProjectsService, type ProjectsServiceDeps } from './projects-service';
