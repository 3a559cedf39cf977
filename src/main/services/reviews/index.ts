export { ReviewsService, type ReviewsServiceDeps } from './reviews-service';
