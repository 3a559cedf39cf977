// The lineage manifest: one document naming every object a result depends on, each with its content hash, plus the
// app version, who made it and when. Releases freeze one; reports, release bundles and exported jobs carry one; the
// CLI verifies one against a workspace.
import { z } from 'zod';

export const LINEAGE_SCHEMA = 'dovetail.lineage/1';

export const LineageKind = z.enum([
  'model',
  'adapter',
  'templateVersion',
  'demonstrationSetVersion',
  'datasetVersion',
  'specialization',
  'experiment',
  'reviewRound',
  'release',
]);
export type LineageKind = z.infer<typeof LineageKind>;

export const LineageObject = z
  .object({
    kind: LineageKind,
    id: z.string(),
    /** The name people gave it ("Support triage v2"), never only an internal key. */
    name: z.string(),
    /** sha256 of its content (null: an object without content of its own, such as an experiment). */
    hash: z.string().nullable(),
    /** A few facts a reader needs beside the hash (a template's version number, an adapter's method). */
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  })
  .strict();
export type LineageObject = z.infer<typeof LineageObject>;

export const LineageManifest = z
  .object({
    schema: z.literal(LINEAGE_SCHEMA),
    subject: z.object({ kind: LineageKind, id: z.string(), name: z.string() }).strict(),
    /** Every object the subject depends on, the subject's own parts first. */
    objects: z.array(LineageObject),
    appVersion: z.string(),
    /** Who made the subject: a profile's id and name, or null id for a local caller without a profile. */
    actor: z.object({ id: z.string().nullable(), name: z.string() }).strict(),
    createdAt: z.string(),
  })
  .strict();
export type LineageManifest = z.infer<typeof LineageManifest>;
