// What a workspace folder contains, and how user-typed folder paths become absolute ones.
//   dovetail-workspace.json   marker: {"format": "dovetail-workspace", "layout": 1}; written last, so a folder that
//                             has it was created completely. Its layout number changes only if this list does.
//   dovetail.sqlite           the database (+ dovetail.sqlite-wal / -shm while open): schema in platform/db/migrations
//   blobs/<ab>/<sha256>       content-addressed artifacts; blobs/.tmp/ holds writes in progress
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { isErrnoException, readTextIfExists, writeJsonAtomic } from '../../platform/files/atomic';

export const MARKER_FILE = 'dovetail-workspace.json';
export const DATABASE_FILE = 'dovetail.sqlite';
export const BLOBS_DIR = 'blobs';
export const LAYOUT_VERSION = 1;
const MARKER_FORMAT = 'dovetail-workspace';

/** Files an OS drops into folders on its own; a folder holding only these still counts as empty. */
const OS_CLUTTER = new Set(['.DS_Store', '.localized', 'Thumbs.db', 'desktop.ini']);

const Marker = z.object({ format: z.literal(MARKER_FORMAT), layout: z.number().int().positive() });

export interface PathBase {
  /** What `~` means. */
  readonly homeDir: string;
  /** What relative paths are relative to: the home folder in the app, the working directory in the CLI. */
  readonly relativeTo: string;
}

/** `~`, `~/x` and relative paths to an absolute, normalized path (no trailing separator). */
export function resolveFolderPath(input: string, base: PathBase): string {
  const trimmed = input.trim();
  let expanded = trimmed;
  if (trimmed === '~') expanded = base.homeDir;
  else if (/^~[/\\]/.test(trimmed)) expanded = path.join(base.homeDir, trimmed.slice(2));
  return path.resolve(base.relativeTo, expanded);
}

/** The real path (symlinks resolved) when it exists, so one folder reached two ways is one recent entry. */
export async function canonicalPath(absolute: string): Promise<string> {
  try {
    return await fs.realpath(absolute);
  } catch {
    return absolute;
  }
}

/** The folder's entries other than OS clutter; undefined when the folder does not exist. */
export async function meaningfulEntries(folder: string): Promise<string[] | undefined> {
  try {
    return (await fs.readdir(folder)).filter((name) => !OS_CLUTTER.has(name));
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the marker: 'absent' when there is none; throws when it is damaged or from a newer layout. */
export async function readMarker(folder: string): Promise<'absent' | 'ok'> {
  const file = path.join(folder, MARKER_FILE);
  const text = await readTextIfExists(file);
  if (text === undefined) return 'absent';
  let marker: z.infer<typeof Marker>;
  try {
    marker = Marker.parse(JSON.parse(text));
  } catch (error) {
    throw new UserError('The workspace marker file is damaged.', {
      code: 'workspace-corrupt',
      where: file,
      hint: `Restore the folder from a backup, or replace the file's content with {"format": "${MARKER_FORMAT}", "layout": ${LAYOUT_VERSION}}.`,
      cause: error,
    });
  }
  if (marker.layout > LAYOUT_VERSION) {
    throw new UserError('This workspace was created by a newer version of Dovetail.', {
      code: 'workspace-newer',
      where: file,
      hint: `Its folder layout is version ${marker.layout}; this Dovetail understands up to ${LAYOUT_VERSION}. Update Dovetail to open it. Nothing was changed.`,
    });
  }
  return 'ok';
}

export async function writeMarker(folder: string): Promise<void> {
  await writeJsonAtomic(path.join(folder, MARKER_FILE), { format: MARKER_FORMAT, layout: LAYOUT_VERSION });
}
