// Deterministic split assignment. By hash: sha256("<seed>:<key>") read as a number in [0, 1) picks the split by the
// cumulative fractions, so a row's split depends only on its key and the seed, never on row order or other rows.
import { createHash } from 'node:crypto';
import type { SplitFractions, SplitName } from '../../../shared/contract/datasets';

/** 48 bits of the digest: exact in a double, fine enough for any fraction a user types. */
const SCALE = 2 ** 48;

export function hashSplit(seed: number, key: string, fractions: SplitFractions): SplitName {
  const u = parseInt(createHash('sha256').update(`${seed}:${key}`).digest('hex').slice(0, 12), 16) / SCALE;
  if (u < fractions.train) return 'train';
  if (u < fractions.train + fractions.validation) return 'validation';
  // Guard the sum's rounding: a test fraction of 0 never receives rows.
  return fractions.test > 0 ? 'test' : fractions.validation > 0 ? 'validation' : 'train';
}

const ALIASES: Record<string, SplitName> = {
  train: 'train',
  training: 'train',
  validation: 'validation',
  valid: 'validation',
  val: 'validation',
  dev: 'validation',
  development: 'validation',
  test: 'test',
  testing: 'test',
};

/** A split column's value as a split name (case and spaces ignored; dev/valid/val mean validation), or null. */
export function splitFromValue(value: unknown): SplitName | null {
  if (typeof value !== 'string') return null;
  return ALIASES[value.trim().toLowerCase()] ?? null;
}

/** Column names that usually hold a split, for the mapping step's suggestion. */
export const SPLIT_COLUMN_NAMES = ['split', 'fold', 'partition', 'subset', 'set'];
