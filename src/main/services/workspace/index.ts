// What the composition root and other services use from the workspace service.
export {
  type ActiveWorkspace,
  type WorkspaceAccess,
  WorkspaceService,
  type WorkspaceServiceDeps,
} from './workspace-service';
