// Reports: every report produced in the workspace, stored as its document (so it re-renders in any format and can be
// verified later), listed by kind, re-generated from stored results, exported as HTML, PDF, CSV or JSON.
import { z } from 'zod';
import { LineageManifest } from '../lineage';
import { ReportDocument, ReportFormat, ReportKind } from '../report';
import { defineService, method } from './define';

export const ReportSubject = z.object({ id: z.string(), name: z.string() }).strict();
export type ReportSubject = z.infer<typeof ReportSubject>;

export const ReportRecord = z
  .object({
    id: z.string(),
    kind: ReportKind,
    title: z.string(),
    subject: ReportSubject,
    /** The second release of a release comparison; null for every other kind. */
    against: ReportSubject.nullable(),
    createdAt: z.string(),
    /** Who made it, by name. */
    author: z.string(),
    /** sha256 of the report's lineage manifest (canonical JSON): what `report verify` checks the workspace against. */
    manifestHash: z.string(),
  })
  .strict();
export type ReportRecord = z.infer<typeof ReportRecord>;

export const ReportCheck = z
  .object({
    kind: z.string(),
    name: z.string(),
    expected: z.string().nullable(),
    actual: z.string().nullable(),
    /** ok: same content; changed: another hash now; missing: the workspace no longer has it; unchecked: no hash. */
    status: z.enum(['ok', 'changed', 'missing', 'unchecked']),
  })
  .strict();
export type ReportCheck = z.infer<typeof ReportCheck>;

export const ReportVerification = z
  .object({
    ok: z.boolean(),
    checks: z.array(ReportCheck),
    /** One sentence per failed check, naming the object ("dataset Support triage v1 changed since the report"). */
    problems: z.array(z.string()),
  })
  .strict();
export type ReportVerification = z.infer<typeof ReportVerification>;

/** An exported file: text formats as text, PDF as base64. */
export const ReportFile = z
  .object({
    fileName: z.string(),
    mediaType: z.string(),
    encoding: z.enum(['utf8', 'base64']),
    data: z.string(),
  })
  .strict();
export type ReportFile = z.infer<typeof ReportFile>;

const id = z.string().min(1).max(500);

/** A section the caller adds before the results (the demo's "how the adapters were trained"). */
export const ReportNote = z
  .object({ title: z.string().trim().min(1).max(200), lines: z.array(z.string().max(2000)).max(50) })
  .strict();
export type ReportNote = z.infer<typeof ReportNote>;

export const reportsContract = defineService(
  'reports',
  {
    /** What each kind can report on (experiments, closed review rounds, training runs, releases). */
    subjects: method(z.object({ kind: ReportKind }).strict(), z.array(ReportSubject)),
    /** Builds a report from stored results and keeps it; `against` is the second release of a comparison. */
    generate: method(
      z
        .object({
          kind: ReportKind,
          /** An id, or the name people gave it (the CLI passes names). */
          subject: id,
          against: id.nullable().default(null),
          notes: z.array(ReportNote).max(10).default([]),
        })
        .strict(),
      ReportRecord,
    ),
    list: method(z.object({ kind: ReportKind.nullable().default(null) }).strict(), z.array(ReportRecord)),
    get: method(z.object({ id }).strict(), z.object({ record: ReportRecord, document: ReportDocument }).strict()),
    /** Builds the same report again from the stored results as they are now (a new record; the old one stays). */
    regenerate: method(z.object({ id }).strict(), ReportRecord),
    export: method(z.object({ id, format: ReportFormat }).strict(), ReportFile),
    /** Checks every content hash of the report's lineage against the workspace as it is now. */
    verify: method(z.object({ id }).strict(), ReportVerification),
    /** The same check for a lineage read from a report file (its JSON export) rather than a stored report. */
    verifyManifest: method(z.object({ lineage: LineageManifest }).strict(), ReportVerification),
    remove: method(z.object({ id }).strict(), z.null()),
  },
  { onChanged: z.object({ id: z.string() }).strict() },
);
