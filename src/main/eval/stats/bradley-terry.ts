// Bradley-Terry strengths from pairwise battles (blind A/B review): P(i beats j) = π_i / (π_i + π_j). Fitted by
// Hunter's (2004) MM algorithm, π_i <- W_i / Σ_j N_ij / (π_i + π_j), with W_i = wins + ties/2 (a tie is half a win
// for each side) and N_ij = battles between i and j. Reported on the log scale s_i = ln π_i, centred to mean 0, and
// on Chatbot Arena's Elo-like scale 1000 + (400 / ln 10) s_i (a 400-point gap = 10:1 odds). CIs: percentile
// bootstrap over battles, refitting each resample.
//
// The plain MLE exists only when every player has beaten or tied, directly or through others, every other player
// (the battle graph is strongly connected); with few battles it often is not (a variant that never lost). `prior`
// (default 1) adds that many virtual ties between each player and a fixed reference player of strength π = 1,
// which keeps every strength finite and shrinks them slightly toward equal; prior 0 gives the plain MLE.
import { assert, UserError } from '../../../shared/errors';
import { quantileSorted } from './descriptive';
import { Rng } from './prng';

export interface Battle {
  a: string;
  b: string;
  winner: 'a' | 'b' | 'tie';
}

export interface BradleyTerryOptions {
  seed: number;
  /** Bootstrap resamples of the battles (default 1000). */
  resamples?: number;
  level?: number;
  /** Virtual ties of each player against a reference of strength 1 (default 1; 0 for the plain MLE). */
  prior?: number;
}

export interface PlayerStrength {
  name: string;
  /** ln π, centred so the players' mean is 0. */
  strength: number;
  ci: [number, number];
  /** 1000 + (400 / ln 10) · strength. */
  elo: number;
  eloCi: [number, number];
  wins: number;
  losses: number;
  ties: number;
}

export interface BradleyTerryResult {
  /** Strongest first. */
  players: PlayerStrength[];
  battles: number;
  /** MM sweeps of the fit on all battles, and whether it met the tolerance. */
  iterations: number;
  converged: boolean;
  seed: number;
  resamples: number;
  level: number;
  prior: number;
}

export const ELO_SCALE = 400 / Math.LN10;
export const ELO_OFFSET = 1000;
const TOLERANCE = 1e-10;
const MAX_ITERATIONS = 20_000;

export function bradleyTerry(battles: readonly Battle[], options: BradleyTerryOptions): BradleyTerryResult {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const prior = options.prior ?? 1;
  assert(
    battles.length > 0 && battles.every((b) => b.a !== b.b),
    'Bradley-Terry needs battles between two different players',
  );
  assert(
    prior >= 0 && resamples >= 1 && level > 0 && level < 1,
    'Bradley-Terry needs prior >= 0, resamples >= 1, 0 < level < 1',
  );
  const names = [...new Set(battles.flatMap((b) => [b.a, b.b]))].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const coded = battles.map((b) => ({ a: index.get(b.a) as number, b: index.get(b.b) as number, winner: b.winner }));

  const all = tally(coded, names.length);
  if (prior === 0 && !stronglyConnected(all)) {
    throw new UserError(
      'Bradley-Terry strengths are not defined for these battles: some player never won or never lost against the ' +
        'rest.',
      {
        hint: 'Collect more comparisons, or use a prior above 0 to shrink strengths toward equal.',
        code: 'bradley-terry-undefined',
      },
    );
  }
  const fit = fitMM(all, prior);

  const rng = new Rng(options.seed, 0);
  const samples = names.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    let counts = tally(resample(coded, rng), names.length);
    // Without a prior a resample may have no MLE; draw again (at most 100 times) rather than report infinities.
    for (let tries = 0; prior === 0 && !stronglyConnected(counts); tries++) {
      if (tries >= 100)
        throw new UserError('Too few battles to bootstrap Bradley-Terry strengths without a prior.', {
          hint: 'Use a prior above 0.',
        });
      counts = tally(resample(coded, rng), names.length);
    }
    const refit = fitMM(counts, prior, fit.strengths);
    refit.strengths.forEach((s, i) => ((samples[i] as Float64Array)[r] = s));
  }

  const alpha = (1 - level) / 2;
  const players = names.map((name, i): PlayerStrength => {
    const sorted = (samples[i] as Float64Array).sort();
    const ci: [number, number] = [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
    const strength = fit.strengths[i] as number;
    const record = all.record[i] as PlayerRecord;
    return { name, strength, ci, elo: toElo(strength), eloCi: [toElo(ci[0]), toElo(ci[1])], ...record };
  });
  players.sort((x, y) => y.strength - x.strength || x.name.localeCompare(y.name));
  return {
    players,
    battles: battles.length,
    iterations: fit.iterations,
    converged: fit.converged,
    seed: options.seed,
    resamples,
    level,
    prior,
  };
}

function toElo(strength: number): number {
  return ELO_OFFSET + ELO_SCALE * strength;
}

interface PlayerRecord {
  wins: number;
  losses: number;
  ties: number;
}

interface Tally {
  /** W_i: wins plus half the ties. */
  score: number[];
  /** N_ij, symmetric. */
  games: number[][];
  /** points[i][j]: i's wins plus half-ties against j. */
  points: number[][];
  record: PlayerRecord[];
}

function tally(battles: readonly { a: number; b: number; winner: Battle['winner'] }[], players: number): Tally {
  const square = () => Array.from({ length: players }, () => new Array<number>(players).fill(0));
  const [games, points] = [square(), square()];
  const record = Array.from({ length: players }, (): PlayerRecord => ({ wins: 0, losses: 0, ties: 0 }));
  const add = (m: number[][], i: number, j: number, v: number) =>
    ((m[i] as number[])[j] = ((m[i] as number[])[j] as number) + v);
  for (const { a, b, winner } of battles) {
    add(games, a, b, 1);
    add(games, b, a, 1);
    if (winner === 'tie') {
      add(points, a, b, 0.5);
      add(points, b, a, 0.5);
      (record[a] as PlayerRecord).ties++;
      (record[b] as PlayerRecord).ties++;
    } else {
      const [w, l] = winner === 'a' ? [a, b] : [b, a];
      add(points, w, l, 1);
      (record[w] as PlayerRecord).wins++;
      (record[l] as PlayerRecord).losses++;
    }
  }
  const score = points.map((row) => row.reduce((s, v) => s + v, 0));
  return { score, games, points, record };
}

function resample<T>(items: readonly T[], rng: Rng): T[] {
  return Array.from({ length: items.length }, () => items[rng.nextInt(items.length)] as T);
}

/**
 * Hunter's (2004) Assumption 1, under which the MLE exists and is unique: along edges i -> j "i won or tied against
 * j", every player reaches every other (checked as: player 0 reaches all, and all reach player 0).
 */
function stronglyConnected({ points }: Tally): boolean {
  const n = points.length;
  const reachesAll = (edge: (i: number, j: number) => boolean) => {
    const seen = new Set([0]);
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      for (let j = 0; j < n; j++) {
        if (!seen.has(j) && edge(i, j)) {
          seen.add(j);
          stack.push(j);
        }
      }
    }
    return seen.size === n;
  };
  const scored = (i: number, j: number) => ((points[i] as number[])[j] as number) > 0;
  return reachesAll(scored) && reachesAll((i, j) => scored(j, i));
}

/** Hunter's MM, cyclic over players; strengths returned as centred logs. */
function fitMM(
  tallied: Tally,
  prior: number,
  start?: readonly number[],
): { strengths: number[]; iterations: number; converged: boolean } {
  const { score, games } = tallied;
  const n = score.length;
  const pi = start ? start.map((s) => Math.exp(s)) : new Array<number>(n).fill(1);
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_ITERATIONS && !converged) {
    iterations++;
    let change = 0;
    for (let i = 0; i < n; i++) {
      let denominator = prior / ((pi[i] as number) + 1);
      for (let j = 0; j < n; j++) {
        const nij = (games[i] as number[])[j] as number;
        if (j !== i && nij > 0) denominator += nij / ((pi[i] as number) + (pi[j] as number));
      }
      const updated = ((score[i] as number) + prior / 2) / denominator;
      change = Math.max(change, Math.abs(Math.log(updated / (pi[i] as number))));
      pi[i] = updated;
    }
    if (prior === 0) {
      // Without the reference the scale is free: fix the geometric mean at 1.
      const logMean = pi.reduce((s, p) => s + Math.log(p), 0) / n;
      for (let i = 0; i < n; i++) pi[i] = (pi[i] as number) / Math.exp(logMean);
    }
    converged = change < TOLERANCE;
  }
  const logs = pi.map((p) => Math.log(p));
  const centre = logs.reduce((s, v) => s + v, 0) / n;
  return { strengths: logs.map((v) => v - centre), iterations, converged };
}
