// dovetail_adapter.json: Dovetail's lineage sidecar beside PEFT's files (which PEFT and vLLM ignore): the base
// model's content hash, dataset and template versions, hyper-parameters, final losses, and sha256 of every file.
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { describeIssues, firstIssuePath, parseJson, readOptional } from './json-files';
import { LINEAGE_FILE } from './peft-names';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex');
const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const versionRef = z.object({
  id: z.string().min(1),
  version: z.union([z.string().min(1), z.number().int().nonnegative()]),
});

export const Lineage = z.object({
  format: z.literal('dovetail-adapter'),
  format_version: z.literal(1),
  /** trained in Dovetail, or imported from a PEFT folder. */
  source: z.enum(['trained', 'imported']),
  method: z.enum(['lora', 'soft_prompt', 'lora+soft_prompt']),
  base_model: z.object({ content_hash: sha256, name: z.string().nullable() }),
  /** The dataset version trained on (null when imported). */
  dataset: versionRef.nullable(),
  /** The prompt template version rendered into the training rows (null: trained on raw rows, or imported). */
  template: versionRef.nullable(),
  /** r, lora_alpha, learning_rate, epochs, seed, ... as the trainer used them. */
  hyper_parameters: z.record(z.string(), z.union([scalar, z.array(scalar)])),
  final_losses: z
    .object({ step: z.number().int().nonnegative(), train: z.number().nullable(), validation: z.number().nullable() })
    .nullable(),
  created_at: z.iso.datetime({ offset: true }),
  app_version: z.string().min(1),
  /** sha256 of each file the writer produced, by relative path (the sidecar excluded). */
  files: z.record(z.string(), sha256),
});
export type Lineage = z.infer<typeof Lineage>;

/** What the caller supplies; the writer adds the format fields, the method and the file hashes. */
export type LineageInput = Omit<Lineage, 'format' | 'format_version' | 'method' | 'files'>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The sidecar's JSON for files already encoded; validates the caller's part (a bad field is a bug upstream). */
export function lineageJson(
  input: LineageInput,
  method: Lineage['method'],
  files: Readonly<Record<string, Uint8Array>>,
): Lineage {
  const hashes = Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, sha256Hex(bytes)]));
  const parsed = Lineage.safeParse({ format: 'dovetail-adapter', format_version: 1, ...input, method, files: hashes });
  if (!parsed.success) {
    throw new UserError(`${LINEAGE_FILE}: ${describeIssues(parsed.error)}`, {
      where: `${LINEAGE_FILE}: ${firstIssuePath(parsed.error)}`,
      hint: 'The training record is incomplete; this is a Dovetail bug, please report it.',
      code: 'adapter-lineage',
    });
  }
  return parsed.data;
}

/** Reads <folder>/dovetail_adapter.json, or null when the folder has none (a plain PEFT adapter). */
export async function readLineage(folder: string): Promise<Lineage | null> {
  const path = join(folder, LINEAGE_FILE);
  const bytes = await readOptional(path);
  if (bytes === null) return null;
  const parsed = Lineage.safeParse(parseJson(bytes, path, 'adapter-lineage'));
  if (!parsed.success) {
    throw new UserError(`${basename(path)}: ${describeIssues(parsed.error)}`, {
      where: `${path}: ${firstIssuePath(parsed.error)}`,
      hint: 'Restore the file from a backup, or delete it to import the folder as a plain PEFT adapter.',
      code: 'adapter-lineage',
    });
  }
  return parsed.data;
}

/** The files must still be those the lineage describes (the sha256 of each). */
export async function verifyLineageFiles(folder: string, lineage: Lineage): Promise<void> {
  for (const [rel, expected] of Object.entries(lineage.files)) {
    const path = join(folder, rel);
    const bytes = await readOptional(path);
    const actual = bytes === null ? null : sha256Hex(bytes);
    if (actual !== expected) {
      throw new UserError(`${rel} ${bytes === null ? 'is missing' : 'changed'} since ${LINEAGE_FILE} recorded it.`, {
        where: path,
        hint:
          'The adapter folder was modified after it was saved; restore it, or delete dovetail_adapter.json to ' +
          'import it as a plain PEFT adapter.',
        code: 'adapter-modified',
      });
    }
  }
}

/** An adapter runs only on the base model it was trained on (same content hash). */
export function checkLineageBase(lineage: Lineage, folder: string, baseContentHash: string): void {
  if (lineage.base_model.content_hash !== baseContentHash) {
    throw new UserError(
      `This adapter was trained on another base model${lineage.base_model.name ? ` (${lineage.base_model.name})` : ''}.`,
      {
        where: join(folder, LINEAGE_FILE),
        hint: `Use it with the model whose content hash is ${lineage.base_model.content_hash.slice(0, 12)}…`,
        code: 'adapter-base-mismatch',
      },
    );
  }
}
