// The seeded PRNG of every resampling method here (bootstrap, permutation tests, Bradley-Terry CIs): xoshiro128**
// (Blackman & Vigna 2018), 32-bit integer arithmetic only, so it is fast in JS (the engine's BigInt PCG32 is ~50x
// slower, fine for one draw per token but not for millions of sign flips). A recorded seed reproduces every result.

/** MurmurHash3's fmix32 finaliser: a bijective avalanche of 32 bits. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * The generator of one `stream` under `seed` (both uint32): the state words are a SplitMix-style Weyl sequence
   * (step 0x9e3779b9) started at seed ^ fmix32(stream), each passed through fmix32. Streams let one recorded seed
   * drive independent analyses (the bootstrap, each effect's permutation test) without sharing draws.
   */
  constructor(seed: number, stream = 0) {
    let x = ((seed >>> 0) ^ fmix32((stream >>> 0) ^ 0x5bd1_e995)) >>> 0;
    const next = () => {
      x = (x + 0x9e37_79b9) >>> 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state xoshiro cannot leave
  }

  /** A generator with this exact state (for checking against the reference implementation's test vectors). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((w) => w >>> 0) as [number, number, number, number];
    return rng;
  }

  /** Uniform integer in [0, 2^32): xoshiro128** next(). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /**
   * Uniform integer in [0, n) by multiply-shift (Lemire); the bias, at most n / 2^32, is far below resampling noise.
   */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() * n) / 4_294_967_296);
  }
}
