// Small-file reading for adapter folders: JSON with UserErrors that name the file, and zod issues as "field: problem".
// Node fs only.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../../../shared/errors';
import { notRegularFile, READ_LIMITS, readBounded } from '../models/bounded-read';

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A file's bytes, or null when it does not exist; other failures name the file. Only regular files, at most the
 * limit (JSON by default; weights pass READ_LIMITS.adapterWeights).
 */
export async function readOptional(
  path: string,
  limit: number = path.endsWith('.safetensors') ? READ_LIMITS.adapterWeights : READ_LIMITS.json,
): Promise<Buffer | null> {
  return readBounded(path, limit, 'adapter-file');
}

/** Whether a file exists; something else under its name (FIFO, device, folder) and other failures name the file. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw notRegularFile(path, stats, 'adapter-file');
    return true;
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (isNotFound(error)) return false;
    throw new UserError(`Cannot read ${basename(path)}: ${describe(error)}`, {
      where: path,
      hint: 'Check that the file is readable by your user account.',
      code: 'adapter-file',
      cause: error,
    });
  }
}

/** Parses a JSON file's bytes; a syntax error names the file. */
export function parseJson(bytes: Uint8Array, path: string, code: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(bytes)) as unknown;
  } catch (error) {
    throw new UserError(`${basename(path)} is not valid JSON: ${describe(error)}`, {
      where: path,
      hint: 'The file is damaged or incomplete; export the adapter again.',
      code,
      cause: error,
    });
  }
}

export { describeIssues, firstIssuePath } from '../../../shared/zod-issues';
