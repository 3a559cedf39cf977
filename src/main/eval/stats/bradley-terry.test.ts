import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { bradleyTerry } from './bradley-terry';
import type { Battle } from './bradley-terry';
import { Rng } from './prng';

function battles(a: string, b: string, winsA: number, winsB: number, ties = 0): Battle[] {
  return [
    ...Array.from({ length: winsA }, (): Battle => ({ a, b, winner: 'a' })),
    ...Array.from({ length: winsB }, (): Battle => ({ a, b, winner: 'b' })),
    ...Array.from({ length: ties }, (): Battle => ({ a, b, winner: 'tie' })),
  ];
}

const byName = (result: ReturnType<typeof bradleyTerry>) => Object.fromEntries(result.players.map((p) => [p.name, p]));

describe('bradleyTerry', () => {
  it('has the closed form for two players: the log-odds of wins (ties as half wins)', () => {
    // 7 wins, 3 losses: P(x beats y) = 0.7, so s_x - s_y = ln(7/3), centred at ±ln(7/3)/2.
    const plain = byName(bradleyTerry(battles('x', 'y', 7, 3), { seed: 1, prior: 0, resamples: 200 }));
    expect(plain.x?.strength).toBeCloseTo(Math.log(7 / 3) / 2, 9);
    expect(plain.y?.strength).toBeCloseTo(-Math.log(7 / 3) / 2, 9);
    // 6 wins, 2 losses, 2 ties: W_x = 7, W_y = 3, the same fit.
    const tied = byName(bradleyTerry(battles('x', 'y', 6, 2, 2), { seed: 1, prior: 0, resamples: 200 }));
    expect(tied.x?.strength).toBeCloseTo(Math.log(7 / 3) / 2, 9);
    expect(tied.x).toMatchObject({ wins: 6, losses: 2, ties: 2 });
  });

  it('recovers known strengths exactly when the counts equal their expectations', () => {
    // π = 1, 2, 4 for p, q, r. With 15 battles per pair the expected wins are whole numbers:
    // q vs p: 2/3 -> 10-5; r vs p: 4/5 -> 12-3; r vs q: 2/3 -> 10-5. The likelihood equations W_i = Σ_j N_ij
    // π_i/(π_i+π_j) then hold at the truth, so the MLE is ln π centred: (-ln 2, 0, ln 2).
    const all = [...battles('q', 'p', 10, 5), ...battles('r', 'p', 12, 3), ...battles('r', 'q', 10, 5)];
    const result = bradleyTerry(all, { seed: 2, prior: 0, resamples: 200 });
    expect(result.converged).toBe(true);
    expect(result.players.map((p) => p.name)).toEqual(['r', 'q', 'p']);
    const fit = byName(result);
    expect(fit.p?.strength).toBeCloseTo(-Math.LN2, 8);
    expect(fit.q?.strength).toBeCloseTo(0, 8);
    expect(fit.r?.strength).toBeCloseTo(Math.LN2, 8);
    // Elo: 1000 + 400 log10(2) = 1120.41 for r
    expect(fit.r?.elo).toBeCloseTo(1000 + 400 * Math.log10(2), 6);
    for (const p of result.players) {
      expect(p.ci[0]).toBeLessThan(p.strength);
      expect(p.ci[1]).toBeGreaterThan(p.strength);
    }
  });

  it('converges to the generating strengths on many simulated battles, with CIs that cover them', () => {
    const truth: Record<string, number> = { a: -1, b: -0.3, c: 0.2, d: 1.1 }; // mean 0
    const names = Object.keys(truth);
    const rng = new Rng(3, 1);
    const simulated: Battle[] = [];
    for (let t = 0; t < 6000; t++) {
      const i = rng.nextInt(4);
      const j = (i + 1 + rng.nextInt(3)) % 4;
      const [a, b] = [names[i] as string, names[j] as string];
      const pA = 1 / (1 + Math.exp((truth[b] as number) - (truth[a] as number)));
      simulated.push({ a, b, winner: rng.nextFloat() < pA ? 'a' : 'b' });
    }
    const result = bradleyTerry(simulated, { seed: 4, prior: 0, resamples: 300 });
    for (const p of result.players) {
      expect(Math.abs(p.strength - (truth[p.name] as number))).toBeLessThan(0.1);
      expect(p.ci[0]).toBeLessThan(truth[p.name] as number);
      expect(p.ci[1]).toBeGreaterThan(truth[p.name] as number);
    }
    expect(result.players.reduce((s, p) => s + p.strength, 0)).toBeCloseTo(0, 10);
  });

  it('keeps strengths finite with the default prior and refuses the undefined MLE without one', () => {
    const unbeaten = battles('champ', 'rookie', 5, 0);
    const result = bradleyTerry(unbeaten, { seed: 5, resamples: 100 });
    expect(result.prior).toBe(1);
    const fit = byName(result);
    expect(Number.isFinite(fit.champ?.strength)).toBe(true);
    expect(fit.champ?.strength).toBeGreaterThan(0.5);
    expect(() => bradleyTerry(unbeaten, { seed: 5, prior: 0 })).toThrow(UserError);
  });

  it('is reproducible from its seed', () => {
    const all = [...battles('x', 'y', 12, 8, 3), ...battles('y', 'z', 9, 9), ...battles('x', 'z', 14, 6)];
    expect(bradleyTerry(all, { seed: 9, resamples: 300 })).toEqual(bradleyTerry(all, { seed: 9, resamples: 300 }));
  });
});
