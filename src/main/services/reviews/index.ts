export { ReviewsService, type ReviewsServiceDeps } from './reviews-service';
export { portalPage } from './portal-page';
