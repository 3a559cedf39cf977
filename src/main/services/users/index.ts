export { UsersService, OWNER_NAME, type UsersServiceDeps } from './users-service';
