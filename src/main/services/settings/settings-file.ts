// settings.json in the user-data folder: read with recovery (an unreadable file, or a field that is invalid, falls
// back to its default with a warning naming it; never a crash) and written atomically (write, fsync, rename).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { Settings } from '../../../shared/contract/settings';
import { isErrnoException, writeJsonAtomic } from '../../platform/files/atomic';

export const SETTINGS_FILE = 'settings.json';
const FILE_VERSION = 1;

export type Warn = (message: string) => void;

/** Small and read once at start-up, before the engine is launched with its settings: hence synchronous. */
export function readSettingsFile(file: string, warn: Warn): Settings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (!(isErrnoException(error) && error.code === 'ENOENT'))
      warn(`Could not read ${file} (${describe(error)}); using default settings.`);
    return Settings.parse({});
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    warn(`${file} is not valid JSON (${describe(error)}); using default settings. It is replaced on the next change.`);
    return Settings.parse({});
  }
  return recover(raw, (field, message) => warn(`${file}: ${field}: ${message}; using its default.`));
}

export async function writeSettingsFile(file: string, settings: Settings): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await writeJsonAtomic(file, { version: FILE_VERSION, ...settings });
}

/** Parses `raw`, dropping each invalid field (so its default applies) and keeping the valid ones. */
export function recover(raw: unknown, warn: (field: string, message: string) => void): Settings {
  let candidate: unknown = isObject(raw) ? structuredClone(raw) : (warn('(file)', 'is not a JSON object'), {});
  for (let attempt = 0; attempt < 16; attempt++) {
    const parsed = Settings.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      warn(issue.path.join('.') || '(file)', issue.message);
      candidate = without(candidate, issue.path);
    }
  }
  return Settings.parse({});
}

/** A copy of `value` without the field at `at`; an empty path means the whole value is dropped. */
function without(value: unknown, at: z.core.$ZodIssue['path']): unknown {
  if (at.length === 0) return {};
  const [head, ...rest] = at;
  if (!isObject(value) || head === undefined || typeof head === 'symbol' || !(head in value)) return value;
  if (Array.isArray(value))
    return rest.length === 0
      ? value.filter((_, i) => i !== Number(head))
      : value.map((v, i) => (i === Number(head) ? without(v, rest) : v));
  const copy: Record<string, unknown> = { ...value };
  const key = String(head);
  if (rest.length === 0) delete copy[key];
  else copy[key] = without(copy[key], rest);
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
