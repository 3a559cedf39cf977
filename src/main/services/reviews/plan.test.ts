// The plan of a round: seeded sampling (random, stratified, disagreements), assignment with overlap and balanced
// loads, per-reviewer sides and order, and the swapped repeats.
import { describe, expect, it } from 'vitest';
import { CreateRound } from '../../../shared/contract/reviews';
import { Rng } from '../../eval';
import { makePlan, sampleRows, type CandidateRow, type Plan } from './plan';

const SPECS = ['s1', 's2', 's3'];

function rows(n: number): CandidateRow[] {
  return Array.from({ length: n }, (_, i) => ({
    exampleIdx: i,
    key: `k${i}`,
    input: { q: `question ${i}` },
    stratum: i % 4 === 0 ? 'rare' : 'common',
    // s1 and s2 agree on even rows.
    outputs: {
      s1: { text: `a${i}`, score: 1 },
      s2: { text: i % 2 === 0 ? `a${i}` : `b${i}`, score: 0 },
      s3: { text: `c${i}`, score: 0.5 },
    },
  }));
}

const spec = (over: Partial<CreateRound> = {}): CreateRound & { seed: number } =>
  CreateRound.parse({
    name: 'r',
    experimentId: 'e',
    specializationIds: SPECS,
    reviewerIds: ['u1', 'u2', 'u3'],
    itemsPerReviewer: 10,
    overlap: 2,
    seed: 7,
    ...over,
  }) as CreateRound & { seed: number };

/** The plan with item ids replaced by their place in each queue: what the seed decides. */
function structure(plan: Plan): unknown {
  return {
    units: plan.units,
    queues: Object.fromEntries(
      Object.entries(plan.queues).map(([r, q]) => [
        r,
        q.map((a) => ({
          unit: a.unit,
          swap: a.swap,
          repeatOf: a.repeatOf === null ? null : q.findIndex((x) => x.id === a.repeatOf),
        })),
      ]),
    ),
  };
}

describe('sampling', () => {
  it('is reproducible from the seed and differs across seeds', () => {
    const s = spec({ specializationIds: ['s1', 's2'] });
    const a = sampleRows(rows(50), s, 10, new Rng(1)).map((r) => r.key);
    expect(sampleRows(rows(50), s, 10, new Rng(1)).map((r) => r.key)).toEqual(a);
    expect(sampleRows(rows(50), s, 10, new Rng(2)).map((r) => r.key)).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
  });

  it('stratifies proportionally by a field', () => {
    const s = spec({ sample: { kind: 'stratified', field: 'f' } });
    const picked = sampleRows(rows(40), s, 20, new Rng(3)); // 10 rare of 40 -> 5 of 20
    expect(picked.filter((r) => r.stratum === 'rare')).toHaveLength(5);
    expect(picked.filter((r) => r.stratum === 'common')).toHaveLength(15);
  });

  it('keeps only disagreements, and refuses when there are none', () => {
    const s = spec({ specializationIds: ['s1', 's2'], sample: { kind: 'disagreements' } });
    const picked = sampleRows(rows(20), s, 100, new Rng(4));
    expect(picked).toHaveLength(10);
    expect(picked.every((r) => r.exampleIdx % 2 === 1)).toBe(true);
    const same: CandidateRow[] = rows(4).map((r) => ({
      ...r,
      outputs: { ...r.outputs, s2: r.outputs.s1 as CandidateRow['outputs'][string] },
    }));
    expect(() => sampleRows(same, s, 4, new Rng(4))).toThrow(/never disagree/);
  });

  it('skips examples without an output of every chosen specialization', () => {
    const r = rows(6);
    r[0] = {
      ...(r[0] as CandidateRow),
      outputs: { ...(r[0] as CandidateRow).outputs, s3: { text: null, score: null } },
    };
    expect(sampleRows(r, spec(), 10, new Rng(5)).map((x) => x.key)).not.toContain('k0');
  });
});

describe('assignment', () => {
  it('gives each unit to overlap-many distinct reviewers with balanced loads and swapped repeats', () => {
    const plan = makePlan(rows(40), spec({ repeatShare: 0.2 }));
    expect(plan.units).toHaveLength(15); // 3 reviewers x 10 items / overlap 2
    const byUnit = new Map<number, string[]>();
    for (const [reviewer, queue] of Object.entries(plan.queues)) {
      const firsts = queue.filter((a) => a.repeatOf === null);
      expect(firsts).toHaveLength(10);
      expect(queue).toHaveLength(12); // 20% repeated
      for (const a of firsts) byUnit.set(a.unit, [...(byUnit.get(a.unit) ?? []), reviewer]);
      for (const r of queue.filter((x) => x.repeatOf !== null)) {
        const original = queue.find((x) => x.id === r.repeatOf);
        expect(original?.unit).toBe(r.unit);
        expect(r.swap).toBe(!original?.swap);
        expect(queue.indexOf(r)).toBeGreaterThan(queue.indexOf(original!) + 1);
      }
    }
    for (const reviewers of byUnit.values()) expect(new Set(reviewers).size).toBe(2);
    expect(byUnit.size).toBe(15);
    // Every pair of the three specializations is judged; both sides occur.
    expect(new Set(plan.units.map((u) => `${u.a}-${u.b}`)).size).toBe(3);
    const swaps = Object.values(plan.queues)
      .flat()
      .map((a) => a.swap);
    expect(swaps).toContain(true);
    expect(swaps).toContain(false);
    expect(structure(makePlan(rows(40), spec({ repeatShare: 0.2 })))).toEqual(structure(plan));
  });

  it('draws item ids outside the seeded stream: the same seed gives the same plan under new, unrelated ids', () => {
    const a = makePlan(rows(40), spec({ repeatShare: 0.2 }));
    const b = makePlan(rows(40), spec({ repeatShare: 0.2 }));
    const idsA = Object.values(a.queues)
      .flat()
      .map((x) => x.id);
    const idsB = new Set(
      Object.values(b.queues)
        .flat()
        .map((x) => x.id),
    );
    expect(idsA.filter((id) => idsB.has(id))).toEqual([]);
    expect(new Set(idsA).size).toBe(idsA.length);
    // 96 random bits each, and none of them is a word of the plan's own generator.
    for (const id of idsA) expect(Buffer.from(id, 'base64url')).toHaveLength(12);
    const stream = new Rng(7, 8);
    const words = new Set(Array.from({ length: 5000 }, () => stream.nextUint32().toString(16).padStart(8, '0')));
    const hex = idsA.map((id) => Buffer.from(id, 'base64url').toString('hex'));
    expect(hex.filter((h) => [0, 8, 16].some((at) => words.has(h.slice(at, at + 8))))).toEqual([]);
  });

  it('orders each reviewer differently, with opaque unique ids', () => {
    const plan = makePlan(rows(40), spec({ overlap: 3, repeatShare: 0 }));
    const units = Object.values(plan.queues).map((q) => q.map((a) => a.unit).join(','));
    expect(new Set(units).size).toBe(3);
    const ids = Object.values(plan.queues)
      .flat()
      .map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[\w-]{16}$/.test(id))).toBe(true);
  });

  it('makes one unit per example and specialization in single-output mode', () => {
    const plan = makePlan(rows(40), spec({ mode: 'single', itemsPerReviewer: 4, overlap: 1 }));
    expect(plan.units).toHaveLength(12); // 4 examples x 3 specializations
    expect(plan.units.every((u) => u.b === null)).toBe(true);
  });

  it('refuses an overlap larger than the reviewers', () => {
    expect(() => makePlan(rows(10), spec({ overlap: 4 }))).toThrow(/at least 4 reviewers/);
  });
});
