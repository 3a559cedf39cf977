// Reading the small files of a Hugging Face checkpoint folder (JSON, templates) with UserErrors that name the file,
// and turning zod issues into "file: field: problem" messages. Node fs only; no tensor data is read here. Every read is
// bounded and refuses what is not a regular file (bounded-read.ts).
import { basename } from 'node:path';
import { UserError } from '../../../shared/errors';
import { READ_LIMITS, readBounded } from './bounded-read';

export const CHECKPOINT_FILES_HINT =
  'A Hugging Face checkpoint folder holds config.json, model.safetensors (or model.safetensors.index.json and its ' +
  'shards), tokenizer.json and tokenizer_config.json, as written by save_pretrained.';

/** Tokenizer files and templates may be large; every other small file of a checkpoint is JSON of a few KB. */
function limitFor(path: string): number {
  const name = basename(path);
  return name === 'tokenizer.json' || name.endsWith('.jinja') || name.endsWith('.txt')
    ? READ_LIMITS.tokenizer
    : READ_LIMITS.json;
}

/** Reads a file's bytes, or null when it does not exist (other read failures are UserErrors naming the file). */
export async function readOptionalFile(path: string, limit = limitFor(path)): Promise<Buffer | null> {
  return readBounded(path, limit, 'model-file');
}

/** Reads a file that must exist. */
export async function readRequiredFile(path: string, hint = CHECKPOINT_FILES_HINT): Promise<Buffer> {
  const bytes = await readOptionalFile(path);
  if (bytes === null) {
    throw new UserError(`${basename(path)} is missing from the model folder.`, {
      where: path,
      hint,
      code: 'model-file',
    });
  }
  return bytes;
}

/** Parses JSON bytes; a syntax error names the file. */
export function parseJsonBytes(bytes: Uint8Array, path: string): unknown {
  const text = new TextDecoder('utf-8').decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${basename(path)} is not valid JSON: ${describe(error)}`, {
      where: path,
      hint: 'The file is damaged or incomplete; copy it again from the original checkpoint.',
      code: 'model-json',
      cause: error,
    });
  }
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { describeIssues, firstIssuePath } from '../../../shared/zod-issues';
