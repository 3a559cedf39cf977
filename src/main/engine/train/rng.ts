// Seeded randomness for training (PCG32 from generate/random.ts): per-epoch shuffles that need no saved state (the
// order of epoch e depends only on the seed and e, so a resumed run sees the same data), and normal draws for init.
import { Pcg32 } from '../generate/random';

/** The generator of one purpose (stream) under the run's seed: streams keep shuffling and init independent. */
export function trainingRng(seed: number, stream: number): Pcg32 {
  return new Pcg32(BigInt(seed >>> 0), BigInt(stream) + 0x7472_6169_6e00n); // "train\0" + stream
}

/** Fisher-Yates permutation of 0..n-1 for epoch `epoch`. */
export function epochOrder(seed: number, epoch: number, n: number): number[] {
  const rng = trainingRng(seed, 1000 + epoch);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** A standard normal draw (Box-Muller on two uniforms). */
export function normal(rng: Pcg32): number {
  const u = 1 - rng.nextFloat(); // (0, 1]
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
