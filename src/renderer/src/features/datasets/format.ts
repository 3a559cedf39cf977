// How dataset facts read on the Datasets screen: sizes as the Models screen writes them, short hashes, dates, and
// cell values in the grid (text as-is, anything else as JSON).
import { formatBytes } from '../models/format';

export const bytesText = formatBytes;

/** The first 12 hex digits: enough to tell versions apart at a glance. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** "2025-01-02T03:04:05.000Z" -> "2025-01-02 03:04". */
export function dateText(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}
