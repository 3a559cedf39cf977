// The privacy service: scans for personal data, redaction into a new dataset version, the workspace policy, and the
// guard (guardVersion, guardRows) that import, training, review sharing and export call.
export { PrivacyService, type GuardOutcome, type Moment, type PrivacyServiceDeps } from './privacy-service';
