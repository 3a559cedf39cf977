// The built-in slices: input length (characters of the input fields) and word rarity (mean inverse document
// frequency of the input's words over the evaluated rows), each cut at its tertiles into low / mid / high, so a
// pass rate per slice says whether a specialization does worse on long or on uncommon inputs. Pure.
import { quantileSorted } from '../../eval';

export type Bin = 'low' | 'mid' | 'high';

export const SLICES = ['input length', 'word rarity'] as const;
export type SliceName = (typeof SLICES)[number];

/** The text a row's input fields make, in field order (JSON for values that are not text). */
export function inputText(data: Record<string, unknown>, fields: readonly string[]): string {
  return fields
    .map((f) => {
      const v = data[f];
      return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
    })
    .join('\n');
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Each input's bin for each slice ([slice][example]). */
export function sliceBins(inputs: readonly string[]): Record<SliceName, Bin[]> {
  const lengths = inputs.map((t) => Array.from(t).length);
  const df = new Map<string, number>();
  const tokenized = inputs.map((t) => new Set(words(t)));
  for (const set of tokenized) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1);
  const n = inputs.length;
  const rarity = tokenized.map((set) => {
    if (set.size === 0) return 0;
    let sum = 0;
    for (const w of set) sum += Math.log((n + 1) / ((df.get(w) ?? 0) + 1));
    return sum / set.size;
  });
  return { 'input length': tertiles(lengths), 'word rarity': tertiles(rarity) };
}

function tertiles(values: readonly number[]): Bin[] {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return [];
  const lo = quantileSorted(sorted, 1 / 3);
  const hi = quantileSorted(sorted, 2 / 3);
  return values.map((v) => (v <= lo ? 'low' : v > hi ? 'high' : 'mid'));
}
