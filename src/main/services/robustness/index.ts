export { RobustnessService, type RobustnessServiceDeps } from './robustness-service';
