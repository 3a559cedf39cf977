export { DemoService, DEMO_WORKSPACE_NAME, type DemoServiceDeps } from './demo-service';
