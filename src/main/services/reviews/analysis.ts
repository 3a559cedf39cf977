// The results of a closed round (pure): win rates with Wilson intervals per pair, Bradley-Terry strengths with
// bootstrap CIs, agreement (Cohen's kappa for two reviewers, Krippendorff's alpha for more) overall and per reviewer,
// position bias, self-consistency on the swapped repeats, tags per specialization and the primary metric's agreement
// with the verdicts; and the votes as FastChat battles or CSV. A vote's tags name what went wrong with the output(s)
// judged worse: the loser, both on a tie or "both bad", the one output in single mode.
import type { ReviewResults, Verdict, WinRate } from '../../../shared/contract/reviews';
import { toCsv } from '../../../shared/csv-export';
import { bradleyTerry, cohensKappa, krippendorffAlpha, wilsonInterval, type Battle } from '../../eval';
import type { Assignment, Plan, Unit } from './plan';

export interface StoredVote {
  itemId: string;
  reviewerId: string;
  verdict: Verdict;
  tags: string[];
  comment: string;
  ms: number;
  at: string;
}

export interface AnalysisInput {
  roundId: string;
  mode: 'pairwise' | 'single';
  seed: number;
  plan: Plan;
  votes: readonly StoredVote[];
  /** specialization id -> display name, in the round's order. */
  names: ReadonlyMap<string, string>;
  reviewerNames: ReadonlyMap<string, string>;
  metric: { label: string; better(a: number, b: number): 'a' | 'b' | null; pass(score: number): boolean | null };
  resamples?: number;
}

/** What a vote says about its unit, sides undone: 'a'/'b' won, 'tie', 'both-bad'; or 'pass'/'fail'. */
export type Label = 'a' | 'b' | 'tie' | 'both-bad' | 'pass' | 'fail';

export function canonical(verdict: Verdict, swap: boolean): Label {
  if (verdict === 'left') return swap ? 'b' : 'a';
  if (verdict === 'right') return swap ? 'a' : 'b';
  return verdict;
}

interface Judged {
  assignment: Assignment;
  unit: Unit;
  vote: StoredVote;
  label: Label;
}

function rate(successes: number, n: number): { rate: number | null; ci: [number, number] | null; n: number } {
  return n === 0 ? { rate: null, ci: null, n } : { rate: successes / n, ci: wilsonInterval(successes, n), n };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function analyse(input: AnalysisInput): ReviewResults {
  const { plan, names } = input;
  const byItem = new Map(input.votes.map((v) => [v.itemId, v]));
  const all: Judged[] = [];
  for (const queue of Object.values(plan.queues)) {
    for (const assignment of queue) {
      const vote = byItem.get(assignment.id);
      if (vote)
        all.push({
          assignment,
          unit: plan.units[assignment.unit] as Unit,
          vote,
          label: canonical(vote.verdict, assignment.swap),
        });
    }
  }
  const firsts = all.filter((j) => j.assignment.repeatOf === null);
  const name = (id: string): string => names.get(id) ?? id;

  const winRates: WinRate[] = [];
  const pairs = new Map<string, Judged[]>();
  if (input.mode === 'pairwise') {
    for (const j of firsts) {
      const key = `${j.unit.a}\u0000${j.unit.b}`;
      pairs.set(key, [...(pairs.get(key) ?? []), j]);
    }
    const order = [...names.keys()];
    for (const [key, list] of [...pairs].sort(([x], [y]) => x.localeCompare(y))) {
      const [a, b] = key.split('\u0000') as [string, string];
      const [first, second] = order.indexOf(a) <= order.indexOf(b) ? [a, b] : [b, a];
      const n = list.length;
      const wins = (id: string) =>
        list.filter((j) => (j.label === 'a' && j.unit.a === id) || (j.label === 'b' && j.unit.b === id)).length;
      const winsA = wins(first);
      const winsB = wins(second);
      winRates.push({
        a: name(first),
        b: name(second),
        n,
        winsA,
        winsB,
        ties: list.filter((j) => j.label === 'tie').length,
        bothBad: list.filter((j) => j.label === 'both-bad').length,
        rateA: winsA / n,
        ciA: wilsonInterval(winsA, n),
        rateB: winsB / n,
        ciB: wilsonInterval(winsB, n),
      });
    }
  }

  let strengths: ReviewResults['bradleyTerry'] = null;
  if (input.mode === 'pairwise' && names.size >= 3 && firsts.length > 0) {
    const battles: Battle[] = firsts.map((j) => ({
      a: name(j.unit.a),
      b: name(j.unit.b as string),
      winner: j.label === 'a' ? 'a' : j.label === 'b' ? 'b' : 'tie',
    }));
    const bt = bradleyTerry(battles, { seed: input.seed, resamples: input.resamples ?? 1000 });
    strengths = bt.players.map((p) => ({ name: p.name, strength: p.strength, ci: p.ci, elo: p.elo, eloCi: p.eloCi }));
  }

  const passRates =
    input.mode === 'single'
      ? [...names.keys()].map((id) => {
          const list = firsts.filter((j) => j.unit.a === id);
          return { name: name(id), ...rate(list.filter((j) => j.label === 'pass').length, list.length) };
        })
      : [];

  // Agreement on first showings: unit -> reviewer -> label.
  const reviewers = Object.keys(plan.queues);
  const perUnit = new Map<number, Map<string, Label>>();
  for (const j of firsts) {
    const m = perUnit.get(j.assignment.unit) ?? new Map<string, Label>();
    m.set(j.vote.reviewerId, j.label);
    perUnit.set(j.assignment.unit, m);
  }
  const shared = [...perUnit.values()].filter((m) => m.size >= 2);
  let agreementValue: number | null = null;
  const method = reviewers.length === 2 ? ('cohen-kappa' as const) : ('krippendorff-alpha' as const);
  if (shared.length > 0) {
    agreementValue =
      method === 'cohen-kappa'
        ? finite(
            cohensKappa(
              shared.map((m) => m.get(reviewers[0] as string) as string),
              shared.map((m) => m.get(reviewers[1] as string) as string),
            ),
          )
        : finite(krippendorffAlpha(shared.map((m) => reviewers.map((r) => m.get(r) ?? null))));
  }
  const perReviewer = reviewers.map((reviewerId) => {
    const mine: string[] = [];
    const others: string[] = [];
    for (const m of shared) {
      const own = m.get(reviewerId);
      if (own === undefined) continue;
      mine.push(own);
      others.push(majority([...m].filter(([r]) => r !== reviewerId).map(([, l]) => l)));
    }
    const agree = mine.filter((l, i) => l === others[i]).length;
    return {
      reviewerId,
      name: input.reviewerNames.get(reviewerId) ?? reviewerId,
      judgments: firsts.filter((j) => j.vote.reviewerId === reviewerId).length,
      kappa: mine.length === 0 ? null : finite(cohensKappa(mine, others)),
      agreeRate: rate(agree, mine.length),
    };
  });

  const decisive = all.filter((j) => j.vote.verdict === 'left' || j.vote.verdict === 'right');
  const repeats = all.filter((j) => j.assignment.repeatOf !== null);
  const firstById = new Map(firsts.map((j) => [j.assignment.id, j]));
  const consistent = repeats.flatMap((j) => {
    const original = firstById.get(j.assignment.repeatOf as string);
    return original ? [original.label === j.label] : [];
  });

  const tagCounts = new Map<string, Record<string, number>>([...names.keys()].map((id) => [id, {}]));
  for (const j of firsts) {
    const blamed =
      input.mode === 'single' || j.label === 'tie' || j.label === 'both-bad'
        ? [j.unit.a, j.unit.b]
        : j.label === 'a'
          ? [j.unit.b]
          : [j.unit.a];
    for (const id of blamed) {
      if (id === null) continue;
      const counts = tagCounts.get(id) ?? {};
      for (const tag of j.vote.tags) counts[tag] = (counts[tag] ?? 0) + 1;
      tagCounts.set(id, counts);
    }
  }

  const metricVerdicts = firsts.flatMap((j) => {
    if (input.mode === 'single') {
      const pass = j.unit.scoreA === null ? null : input.metric.pass(j.unit.scoreA);
      return pass === null ? [] : [pass === (j.label === 'pass')];
    }
    if ((j.label !== 'a' && j.label !== 'b') || j.unit.scoreA === null || j.unit.scoreB === null) return [];
    const better = input.metric.better(j.unit.scoreA, j.unit.scoreB);
    return better === null ? [] : [better === j.label];
  });

  return {
    roundId: input.roundId,
    mode: input.mode,
    n: firsts.length,
    specializations: [...names].map(([id, n]) => ({ id, name: n })),
    winRates,
    bradleyTerry: strengths,
    passRates,
    agreement: { method, value: agreementValue, units: shared.length },
    perReviewer,
    positionBias: rate(decisive.filter((j) => j.vote.verdict === 'left').length, decisive.length),
    selfConsistency: rate(consistent.filter(Boolean).length, consistent.length),
    tags: [...tagCounts].map(([id, counts]) => ({ name: name(id), counts })),
    metricAgreement: {
      metric: input.metric.label,
      ...rate(metricVerdicts.filter(Boolean).length, metricVerdicts.length),
    },
    seed: input.seed,
  };
}

/** The most frequent label (ties: the alphabetically first, so the result does not depend on vote order). */
function majority(labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? '';
}

/** One vote with names, not ids: what exports write and reports quote. */
export interface ReviewJudgment {
  /** FastChat's question_id: the round and the example's key. */
  questionId: string;
  judge: string;
  modelA: string;
  /** Empty in single-output rounds. */
  modelB: string;
  /** FastChat's words: model_a, model_b, tie, tie (bothbad); pass or fail in single-output rounds. */
  winner: string;
  tags: string[];
  comment: string;
  ms: number;
  repeat: boolean;
  at: string;
}

/** One vote as exported, in the CSV's column order. */
export type ExportRow = {
  question_id: string;
  model_a: string;
  model_b: string;
  winner: string;
  judge: string;
  tags: string;
  comment: string;
  ms: number;
  repeat: boolean;
  tstamp: number;
};

/** One judgment per vote, sides as shown: the left output is model_a (FastChat's convention: model_a is side A). */
export function judgmentsOf(input: AnalysisInput): ReviewJudgment[] {
  const byItem = new Map(input.votes.map((v) => [v.itemId, v]));
  const out: ReviewJudgment[] = [];
  for (const queue of Object.values(input.plan.queues)) {
    for (const assignment of queue) {
      const vote = byItem.get(assignment.id);
      if (!vote) continue;
      const unit = input.plan.units[assignment.unit] as Unit;
      const [left, right] = assignment.swap ? [unit.b, unit.a] : [unit.a, unit.b];
      const winner =
        vote.verdict === 'left'
          ? 'model_a'
          : vote.verdict === 'right'
            ? 'model_b'
            : vote.verdict === 'tie'
              ? 'tie'
              : vote.verdict === 'both-bad'
                ? 'tie (bothbad)'
                : vote.verdict;
      out.push({
        questionId: `${input.roundId}:${unit.key}`,
        modelA: input.names.get(left as string) ?? (left as string),
        modelB: right === null ? '' : (input.names.get(right) ?? right),
        winner,
        judge: input.reviewerNames.get(vote.reviewerId) ?? vote.reviewerId,
        tags: vote.tags,
        comment: vote.comment,
        ms: vote.ms,
        repeat: assignment.repeatOf !== null,
        at: vote.at,
      });
    }
  }
  return out;
}

/** One export row per vote, in the CSV's column order. */
export function exportRows(input: AnalysisInput): ExportRow[] {
  return judgmentsOf(input).map((j) => ({
    question_id: j.questionId,
    model_a: j.modelA,
    model_b: j.modelB,
    winner: j.winner,
    judge: j.judge,
    tags: j.tags.join(';'),
    comment: j.comment,
    ms: j.ms,
    repeat: j.repeat,
    tstamp: Date.parse(j.at) / 1000,
  }));
}

/** The votes as CSV; text cells (comments, names) neutralised against spreadsheet formula injection. */
export function votesCsv(rows: readonly Record<string, string | number | boolean>[]): string {
  return toCsv(
    ['question_id', 'model_a', 'model_b', 'winner', 'judge', 'tags', 'comment', 'ms', 'repeat', 'tstamp'],
    rows,
  );
}

/**
 * The preferred output per unit from first showings (closing the loop): pairwise, the side more reviewers chose
 * (ties, "both bad" and equal splits give none); single mode, an output most reviewers passed.
 */
export function preferredOutputs(
  plan: Plan,
  votes: readonly StoredVote[],
  mode: 'pairwise' | 'single',
): { unit: Unit; text: string }[] {
  const byItem = new Map(votes.map((v) => [v.itemId, v]));
  const tally = new Map<number, { a: number; b: number; pass: number; fail: number }>();
  for (const queue of Object.values(plan.queues)) {
    for (const assignment of queue) {
      const vote = byItem.get(assignment.id);
      if (!vote || assignment.repeatOf !== null) continue;
      const t = tally.get(assignment.unit) ?? { a: 0, b: 0, pass: 0, fail: 0 };
      const label = canonical(vote.verdict, assignment.swap);
      if (label === 'a' || label === 'b' || label === 'pass' || label === 'fail') t[label]++;
      tally.set(assignment.unit, t);
    }
  }
  const out: { unit: Unit; text: string }[] = [];
  for (const [u, t] of [...tally].sort(([x], [y]) => x - y)) {
    const unit = plan.units[u] as Unit;
    if (mode === 'single' ? t.pass > t.fail : t.a !== t.b) {
      out.push({ unit, text: mode === 'single' || t.a > t.b ? unit.textA : (unit.textB ?? '') });
    }
  }
  return out;
}
