// The imports service: other tools' files (promptfoo configs, OpenAI eval graders) as Dovetail objects.
export { ImportsService, type ImportsServiceDeps } from './imports-service';
