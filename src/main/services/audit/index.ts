// What the composition root and the CLI use from the audit trail.
export { AuditService } from './audit-service';
export { AuditRecorder, type AuditRecorderDeps } from './recorder';
export { appendEntry } from './audit-log';
