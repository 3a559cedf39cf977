// Data minimisation: scans of a dataset version's text fields for personal data (built-in detectors with checksums,
// plus the workspace's own patterns), redaction into a new version with consistent placeholders, and the workspace
// policy that says whether findings warn or block at import, training, sharing a review round and export.
import { z } from 'zod';
import { defineService, method } from './define';
import { DatasetVersionId } from './datasets';

const count = z.number().int().nonnegative();

export const PII_KINDS = ['email', 'phone', 'iban', 'card', 'ipv4', 'ipv6', 'national-id', 'custom'] as const;
export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

export const PII_KIND_LABELS: Record<PiiKind, string> = {
  email: 'email addresses',
  phone: 'phone numbers',
  iban: 'IBANs',
  card: 'card numbers',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  'national-id': 'national-ID-like numbers',
  custom: 'matches of your patterns',
};

const PII_KIND_LABEL_ONE: Record<PiiKind, string> = {
  email: 'email address',
  phone: 'phone number',
  iban: 'IBAN',
  card: 'card number',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  'national-id': 'national-ID-like number',
  custom: 'match of your patterns',
};

/** "1 IBAN", "3 IBANs". */
export function piiCount(kind: PiiKind, n: number): string {
  return `${n} ${n === 1 ? PII_KIND_LABEL_ONE[kind] : PII_KIND_LABELS[kind]}`;
}

export const ScanId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A scan id is 1-64 letters, digits, - or _');

/** A workspace's own pattern (RE2 syntax: no lookaround or back-references); its name becomes the placeholder's. */
export const UserPattern = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'A pattern name is a letter then up to 31 letters, digits or _'),
    pattern: z.string().min(1).max(500),
  })
  .strict();
export type UserPattern = z.infer<typeof UserPattern>;

/** warn: the four moments say what was found and go on; block: they refuse until the data is redacted. */
export const PrivacyPolicy = z
  .object({
    onFinding: z.enum(['warn', 'block']),
    patterns: z.array(UserPattern).max(50),
  })
  .strict();
export type PrivacyPolicy = z.infer<typeof PrivacyPolicy>;

export const PiiExample = z.object({
  kind: PiiKind,
  label: z.string(),
  value: z.string(),
  rowIdx: count,
  rowKey: z.string(),
});
export type PiiExample = z.infer<typeof PiiExample>;

export const FieldFindings = z.object({
  field: z.string(),
  /** Findings per kind (custom patterns by name under `custom:<name>`). */
  counts: z.record(z.string(), count),
  rows: count,
  /** Up to three per kind. */
  examples: z.array(PiiExample),
});
export type FieldFindings = z.infer<typeof FieldFindings>;

export const ScanReport = z.object({
  versionId: z.string(),
  rowsScanned: count,
  total: count,
  /** Fields with at least one finding, in the version's field order. */
  fields: z.array(FieldFindings),
  /** Patterns of the policy that could not run (with RE2's reason); they found nothing. */
  patternErrors: z.array(z.string()),
});
export type ScanReport = z.infer<typeof ScanReport>;

export const ScanProgress = z.object({ scanId: z.string(), rowsScanned: count, rowsTotal: count });
export type ScanProgress = z.infer<typeof ScanProgress>;

export const RedactResult = z.object({
  datasetVersionId: z.string(),
  version: count,
  /** Distinct values replaced, and the replacements made. */
  values: count,
  replacements: count,
});
export type RedactResult = z.infer<typeof RedactResult>;

export const privacyContract = defineService(
  'privacy',
  {
    /** Scans every row of the version (all splits) in chunks, with onScanProgress; cancelScan stops it. */
    scan: method(z.object({ versionId: DatasetVersionId, scanId: ScanId.optional() }).strict(), ScanReport),
    cancelScan: method(z.object({ scanId: ScanId }).strict(), z.object({ cancelled: z.boolean() })),
    /** Writes a new version of the dataset with every finding replaced by a placeholder (<EMAIL_1>: one per value). */
    redact: method(z.object({ versionId: DatasetVersionId, scanId: ScanId.optional() }).strict(), RedactResult),
    policy: method(z.object({}).strict(), PrivacyPolicy),
    setPolicy: method(PrivacyPolicy, PrivacyPolicy),
  },
  { onScanProgress: ScanProgress },
);
