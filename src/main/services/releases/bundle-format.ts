// A release bundle on disk: one folder another Dovetail imports and verifies.
//   bundle.json           the release, its lineage manifest, and each part (template and demonstrations inline)
//   adapters/<part>/      PEFT adapter folders as the workspace holds them
//   demonstrations.jsonl  the demonstration rows (fields and key), when the release has demonstrations
//   manifest.json         size and sha256 of every other file; the folder holds nothing else
import { z } from 'zod';
import { DatasetRoles, FieldRole } from '../../../shared/contract/datasets';
import { Approval, Evidence } from '../../../shared/contract/releases';
import { DemonstrationSelection } from '../../../shared/contract/templates';
import { DecodingOverrides } from '../../../shared/decoding-settings';
import { LineageManifest } from '../../../shared/lineage';

export const BUNDLE_SCHEMA = 'dovetail.bundle/1';
export const BUNDLE_FILE = 'bundle.json';
export const MANIFEST_FILE = 'manifest.json';
export const DEMONSTRATIONS_FILE = 'demonstrations.jsonl';
/** The column that carries each demonstration row's key when its dataset has no key field, so an import keeps the
 * keys the set names. */
export const KEY_COLUMN = 'dovetail_key';

const AdapterPart = z
  .object({ folder: z.string().regex(/^adapters\/[a-z-]+$/), name: z.string(), contentHash: z.string() })
  .strict();

export const BundleFile = z
  .object({
    schema: z.literal(BUNDLE_SCHEMA),
    release: z
      .object({
        name: z.string(),
        version: z.string(),
        notes: z.string(),
        authorName: z.string(),
        createdAt: z.string(),
        specializationName: z.string(),
        specializationHash: z.string(),
        evidence: z.array(Evidence.and(z.object({ addedAt: z.string(), addedBy: z.string() }))),
        approvals: z.array(Approval),
      })
      .strict(),
    lineage: LineageManifest,
    model: z.object({ name: z.string(), contentHash: z.string() }).strict(),
    decoding: DecodingOverrides,
    lora: AdapterPart.nullable(),
    softPrompt: AdapterPart.nullable(),
    template: z
      .object({
        name: z.string(),
        version: z.number().int(),
        source: z.string(),
        system: z.string().nullable(),
        chat: z.boolean(),
        contentHash: z.string(),
      })
      .strict()
      .nullable(),
    demonstrations: z
      .object({
        name: z.string(),
        rowKeys: z.array(z.string()),
        selection: DemonstrationSelection,
        dataset: z
          .object({
            name: z.string(),
            /** The source dataset version's identity: an importing workspace that has it uses it as is. */
            contentHash: z.string(),
            fields: z.array(z.object({ name: z.string(), role: FieldRole }).strict()),
            roles: DatasetRoles,
          })
          .strict(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type BundleFile = z.infer<typeof BundleFile>;

export const BundleManifest = z
  .object({
    schema: z.literal(BUNDLE_SCHEMA),
    files: z.array(
      z
        .object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
        .strict(),
    ),
  })
  .strict();
export type BundleManifest = z.infer<typeof BundleManifest>;

/** A folder name for a release: letters, digits, dot, dash, underscore. */
export function bundleFolderName(name: string, version: string): string {
  return `${name}-${version}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}
