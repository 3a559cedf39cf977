// The plan of a review round, made once at creation from its recorded seed (pure): which examples are sampled
// (random, stratified by a field, or disagreements only), the units judged (a pair of specializations per example,
// or one output per example and specialization), who judges what (each unit by `overlap` reviewers, loads balanced),
// the side each output is shown on per reviewer, each reviewer's order, and the repeats shown with sides swapped.
// Item ids come from elsewhere (a CSPRNG): the seeded stream decides the plan and nothing a reviewer can see.
import { randomBytes } from 'node:crypto';
import type { CreateRound } from '../../../shared/contract/reviews';
import { UserError } from '../../../shared/errors';
import { Rng } from '../../eval';

/** One example of the experiment with its outputs for the round's specializations. */
export interface CandidateRow {
  exampleIdx: number;
  key: string;
  input: Record<string, unknown>;
  /** The value of the stratification field (null: no stratification, or missing). */
  stratum: string | null;
  /** specialization id -> output text (null: not generated) and primary metric score. */
  outputs: Record<string, { text: string | null; score: number | null }>;
}

export interface Unit {
  exampleIdx: number;
  key: string;
  input: Record<string, unknown>;
  /** Specialization ids: pairwise a and b; single mode b is null. */
  a: string;
  b: string | null;
  textA: string;
  textB: string | null;
  scoreA: number | null;
  scoreB: number | null;
}

export interface Assignment {
  /** Opaque: nothing about the unit or its specializations can be read from it. */
  id: string;
  reviewerId: string;
  unit: number;
  /** true: b is shown on the left. */
  swap: boolean;
  /** The assignment this one repeats with sides swapped (null: a first showing). */
  repeatOf: string | null;
}

export interface Plan {
  units: Unit[];
  /** Per reviewer, in queue order. */
  queues: Record<string, Assignment[]>;
}

const norm = (t: string): string => t.trim().replace(/\s+/g, ' ');

export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The examples to judge, in a seeded order. */
export function sampleRows(
  rows: readonly CandidateRow[],
  spec: Pick<CreateRound, 'sample' | 'specializationIds'>,
  n: number,
  rng: Rng,
): CandidateRow[] {
  let eligible = rows.filter((r) => spec.specializationIds.every((id) => typeof r.outputs[id]?.text === 'string'));
  if (spec.sample.kind === 'disagreements') {
    eligible = eligible.filter(
      (r) => new Set(spec.specializationIds.map((id) => norm(r.outputs[id]?.text ?? ''))).size > 1,
    );
  }
  if (eligible.length === 0) {
    throw new UserError(
      spec.sample.kind === 'disagreements'
        ? 'The chosen specializations never disagree on this experiment'
        : 'The chosen specializations have no outputs in common yet',
      {
        code: 'review-empty',
        where: 'sample',
        hint: spec.sample.kind === 'disagreements' ? 'Sample at random instead.' : 'Run the experiment first.',
      },
    );
  }
  const take = Math.min(n, eligible.length);
  if (spec.sample.kind !== 'stratified') return shuffle(eligible, rng).slice(0, take);
  // Proportional allocation by largest remainder; ties broken by the strata's sorted order.
  const groups = new Map<string, CandidateRow[]>();
  for (const r of eligible) {
    const key = r.stratum ?? '';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const strata = [...groups.keys()].sort();
  const quotas = strata.map((s) => (take * (groups.get(s) as CandidateRow[]).length) / eligible.length);
  const alloc = quotas.map(Math.floor);
  let left = take - alloc.reduce((s, v) => s + v, 0);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((x, y) => y.r - x.r || x.i - y.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    alloc[i] = (alloc[i] as number) + 1;
    left--;
  }
  const picked = strata.flatMap((s, i) => shuffle(groups.get(s) as CandidateRow[], rng).slice(0, alloc[i]));
  return shuffle(picked, rng);
}

/**
 * An item id: 96 bits from the operating system's CSPRNG, unrelated to the plan's seeded stream, so that the ids a
 * reviewer sees carry nothing about sides, swaps, order or time.
 */
export const newItemId = (): string => randomBytes(12).toString('base64url');

export function makePlan(
  rows: readonly CandidateRow[],
  spec: CreateRound & { seed: number },
  itemId: () => string = newItemId,
): Plan {
  const reviewers = spec.reviewerIds;
  if (new Set(reviewers).size !== reviewers.length)
    throw new UserError('A reviewer is listed twice', { code: 'review-reviewers', where: 'reviewerIds' });
  if (spec.overlap > reviewers.length) {
    throw new UserError(
      `An overlap of ${spec.overlap} needs at least ${spec.overlap} reviewers; the round has ${reviewers.length}`,
      { code: 'review-overlap', where: 'overlap', hint: 'Add reviewers or lower the overlap.' },
    );
  }
  const rng = new Rng(spec.seed, 8);
  const specs = spec.specializationIds;
  const unitsWanted = Math.max(1, Math.floor((reviewers.length * spec.itemsPerReviewer) / spec.overlap));
  const units: Unit[] = [];
  if (spec.mode === 'pairwise') {
    const pairs = shuffle(
      specs.flatMap((a, i) => specs.slice(i + 1).map((b) => [a, b] as const)),
      rng,
    );
    sampleRows(rows, spec, unitsWanted, rng).forEach((r, i) => {
      const [a, b] = pairs[i % pairs.length] as readonly [string, string];
      units.push(unitOf(r, a, b));
    });
  } else {
    const examples = sampleRows(rows, spec, Math.ceil(unitsWanted / specs.length), rng);
    for (const r of examples) for (const a of specs) units.push(unitOf(r, a, null));
  }
  const order = shuffle(
    units.map((_, i) => i),
    rng,
  );
  const ids = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = itemId();
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const firsts = new Map<string, Assignment[]>(reviewers.map((r) => [r, []]));
  order.forEach((unit, u) => {
    for (let j = 0; j < spec.overlap; j++) {
      const reviewerId = reviewers[(u * spec.overlap + j) % reviewers.length] as string;
      (firsts.get(reviewerId) as Assignment[]).push({
        id: newId(),
        reviewerId,
        unit,
        swap: spec.mode === 'pairwise' && rng.nextInt(2) === 1,
        repeatOf: null,
      });
    }
  });
  const queues: Record<string, Assignment[]> = {};
  for (const [reviewerId, list] of firsts) {
    const queue = shuffle(list, rng);
    const repeats = shuffle(queue, rng).slice(0, Math.round(spec.repeatShare * queue.length));
    for (const original of repeats) {
      // Shown again later than the original, never right after it.
      const at = queue.indexOf(original);
      const from = Math.min(queue.length, at + 2);
      const pos = from + rng.nextInt(queue.length - from + 1);
      queue.splice(pos, 0, {
        id: newId(),
        reviewerId,
        unit: original.unit,
        swap: spec.mode === 'pairwise' ? !original.swap : false,
        repeatOf: original.id,
      });
    }
    queues[reviewerId] = queue;
  }
  return { units, queues };
}

function unitOf(r: CandidateRow, a: string, b: string | null): Unit {
  const oa = r.outputs[a];
  const ob = b === null ? null : r.outputs[b];
  return {
    exampleIdx: r.exampleIdx,
    key: r.key,
    input: r.input,
    a,
    b,
    textA: oa?.text ?? '',
    textB: b === null ? null : (ob?.text ?? ''),
    scoreA: oa?.score ?? null,
    scoreB: ob?.score ?? null,
  };
}
