// The precision a model's linear weights run at, picked per model: as stored (F32, or F16/BF16 widened to f32 when the
// session is created) or block-quantized to 8 or 4 bits (MatMulNBits). Shared: the contract validates it, the engine
// builds graphs with it, the renderer lists the choices.
import { z } from 'zod';

export const WEIGHT_FORMATS = ['stored', 'q8', 'q4'] as const;
export const WeightFormat = z.enum(WEIGHT_FORMATS, { error: 'must be one of: stored, q8, q4' });
export type WeightFormat = z.infer<typeof WeightFormat>;
export type QuantizedWeightFormat = Exclude<WeightFormat, 'stored'>;

/** Short names for results and lineage. */
export const WEIGHT_FORMAT_NAMES: Record<WeightFormat, string> = { stored: 'as stored', q8: '8-bit', q4: '4-bit' };

export const WEIGHT_FORMAT_LABELS: Record<WeightFormat, string> = {
  stored: 'As stored (F32 compute)',
  q8: '8-bit (blocks of 32, int8 compute)',
  q4: '4-bit (blocks of 32, int8 compute)',
};

/**
 * The precision an experiment's cells ran at: once when all agree ("8-bit"), else per cell ("full: 8-bit; base: as
 * stored"); "not recorded" for cells not run since formats were recorded.
 */
export function describeWeightFormats(cells: readonly { label: string; weightFormat?: WeightFormat }[]): string {
  const names = cells.map((c) => (c.weightFormat ? WEIGHT_FORMAT_NAMES[c.weightFormat] : 'not recorded'));
  if (new Set(names).size <= 1) return names[0] ?? 'not recorded';
  return cells.map((c, i) => `${c.label}: ${names[i]}`).join('; ');
}
