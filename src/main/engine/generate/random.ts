// Seeded PRNG for sampling: PCG32 (O'Neill 2014, XSH-RR output, pcg32_srandom_r seeding), written by hand so a
// recorded seed replays the same tokens on every platform and version (Math.random cannot be seeded, and no
// well-kept npm package pins its algorithm). BigInt for the 64-bit state: one draw per sampled token, so speed is moot.

const MASK64 = (1n << 64n) - 1n;
const MULTIPLIER = 6364136223846793005n;
/** Dovetail's stream selector (initseq): the ASCII bytes of "Dovetail". Changing it changes every sampled output. */
export const DOVETAIL_STREAM = 0x446f_7665_7461_696cn;

export class Pcg32 {
  private state = 0n;
  private readonly increment: bigint;

  /** Exactly pcg32_srandom_r(initState, initSeq) of the reference C implementation (pcg-c-basic). */
  constructor(initState: bigint, initSeq: bigint) {
    this.increment = ((initSeq << 1n) | 1n) & MASK64;
    this.nextUint32();
    this.state = (this.state + (initState & MASK64)) & MASK64;
    this.nextUint32();
  }

  /** The generator for a recorded uint32 seed: state = seed, stream = DOVETAIL_STREAM. */
  static fromSeed(seed: number): Pcg32 {
    return new Pcg32(BigInt(seed >>> 0), DOVETAIL_STREAM);
  }

  /** One PCG32 output: a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const old = this.state;
    this.state = (old * MULTIPLIER + this.increment) & MASK64;
    const xorShifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffff_ffffn);
    const rot = Number(old >> 59n);
    return ((xorShifted >>> rot) | (xorShifted << ((32 - rot) & 31))) >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits from two outputs (27 + 26 bits, as genrand_res53 / numpy do). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }
}
