// The review round report as a document: win rates with Wilson intervals, Bradley-Terry strengths with bootstrap
// intervals, agreement, position bias and self-consistency, tags and a selection of reviewers' comments. Every number
// comes from the reviews service's analysis of the closed round; nothing is recomputed here.
import type { ReviewResults, Round } from '../../../../shared/contract/reviews';
import type { LineageManifest } from '../../../../shared/lineage';
import { REPORT_SCHEMA, type ReportBlock, type ReportDocument } from '../../../../shared/report';
import type { ReviewJudgment } from '../../reviews/analysis';
import { interval, num, pct, plural, when } from './format';

export type { ReviewJudgment };

export interface ReviewReportInput {
  round: Round;
  results: ReviewResults;
  judgments: readonly ReviewJudgment[];
  lineage: LineageManifest;
  /** Most comments quoted (the newest with tags first). */
  maxComments?: number;
}

const METHOD = { 'cohen-kappa': "Cohen's kappa", 'krippendorff-alpha': "Krippendorff's alpha (nominal)" } as const;

export function buildReviewReport(input: ReviewReportInput): ReportDocument {
  const { round, results: r } = input;
  const blocks: ReportBlock[] = [
    {
      type: 'text',
      title: null,
      lines: [
        `${round.mode === 'pairwise' ? 'Pairwise' : 'Single-output'} blind review of "${round.experimentName}": ${plural(round.units, 'item')}, ${plural(round.spec.reviewerIds.length, 'reviewer')}, overlap ${round.spec.overlap}, ${plural(r.n, 'first judgment')} (repeats count only towards self-consistency).`,
        `Compared: ${r.specializations.map((s) => s.name).join(', ')}.`,
        round.state === 'closed'
          ? `Opened ${when(round.createdAt)}, closed ${when(round.closedAt)}; sides and order drawn with seed ${r.seed}.`
          : `Still open (opened ${when(round.createdAt)}): the results below may change.`,
      ],
    },
  ];
  if (r.winRates.length > 0) {
    blocks.push({
      type: 'intervals',
      title: 'Win rate of each side of each pair (95% Wilson interval)',
      unit: 'percent',
      items: r.winRates.flatMap((w) => [
        { label: `${w.a} over ${w.b}`, value: w.rateA, ci: w.ciA, n: w.n },
        { label: `${w.b} over ${w.a}`, value: w.rateB, ci: w.ciB, n: w.n },
      ]),
    });
    blocks.push({
      type: 'table',
      id: 'win-rates',
      title: 'Win rates per pair',
      columns: [
        'A',
        'B',
        'n',
        'A wins',
        'B wins',
        'Ties',
        'Both bad',
        'A win rate',
        'A 95% CI',
        'B win rate',
        'B 95% CI',
      ],
      rows: r.winRates.map((w) => [
        w.a,
        w.b,
        w.n,
        w.winsA,
        w.winsB,
        w.ties,
        w.bothBad,
        pct(w.rateA),
        interval(w.ciA, pct),
        pct(w.rateB),
        interval(w.ciB, pct),
      ]),
      note: 'Ties and "both bad" count in n, so the two win rates of a pair need not add up to 100%.',
    });
  }
  if (r.bradleyTerry) {
    blocks.push({
      type: 'table',
      id: 'bradley-terry',
      title: 'Bradley-Terry strengths, strongest first (95% bootstrap CI)',
      columns: ['Rank', 'Specialization', 'Strength', 'Strength 95% CI', 'Elo', 'Elo 95% CI'],
      rows: r.bradleyTerry.map((s, i) => [
        i + 1,
        s.name,
        num(s.strength),
        interval(s.ci, (v) => num(v)),
        Math.round(s.elo),
        interval(s.eloCi, (v) => String(Math.round(v))),
      ]),
      note: `Bootstrap over judgments, seed ${r.seed}.`,
    });
  }
  if (r.passRates.length > 0) {
    blocks.push({
      type: 'intervals',
      title: 'Pass rate per specialization (95% Wilson interval)',
      unit: 'percent',
      items: r.passRates.flatMap((p) => (p.rate === null ? [] : [{ label: p.name, value: p.rate, ci: p.ci, n: p.n }])),
    });
  }
  blocks.push(reliability(r));
  blocks.push({
    type: 'table',
    id: 'reviewers',
    title: "Each reviewer against the others' majority on shared items",
    columns: ['Reviewer', 'First judgments', "Cohen's kappa", 'Agreement', '95% CI', 'Shared items'],
    rows: r.perReviewer.map((p) => [
      p.name,
      p.judgments,
      num(p.kappa),
      pct(p.agreeRate.rate),
      interval(p.agreeRate.ci, pct),
      p.agreeRate.n,
    ]),
    note: null,
  });
  const tagNames = [...new Set(r.tags.flatMap((t) => Object.keys(t.counts)))].sort();
  if (tagNames.length > 0) {
    blocks.push({
      type: 'table',
      id: 'tags',
      title: 'Tags given to the output judged worse, per specialization',
      columns: ['Specialization', ...tagNames],
      rows: r.tags.map((t) => [t.name, ...tagNames.map((tag) => t.counts[tag] ?? 0)]),
      note: null,
    });
  }
  const comments = selectComments(input.judgments, input.maxComments ?? 15);
  if (comments.length > 0) {
    blocks.push({
      type: 'table',
      id: 'comments',
      title: `Reviewers' comments (${comments.length} of ${input.judgments.filter((j) => j.comment.trim() !== '').length})`,
      columns: ['Reviewer', 'Compared', 'Verdict', 'Tags', 'Comment'],
      rows: comments.map((j) => [
        j.judge,
        j.modelB === '' ? j.modelA : `${j.modelA} (A) vs ${j.modelB} (B)`,
        verdictText(j),
        j.tags.join(', '),
        j.comment,
      ]),
      note: null,
    });
  }
  return {
    schema: REPORT_SCHEMA,
    kind: 'review',
    title: round.name,
    subtitle: `Review round · ${round.experimentName} · ${round.state === 'closed' ? 'closed' : 'open'}`,
    lineage: input.lineage,
    blocks,
  };
}

function reliability(r: ReviewResults): ReportBlock {
  const rows: (string | number | null)[][] = [
    [
      `Agreement between reviewers (${METHOD[r.agreement.method]})`,
      num(r.agreement.value),
      '—',
      r.agreement.units,
      'Items judged by two or more reviewers; 1 is full agreement, 0 what chance gives.',
    ],
  ];
  if (r.mode === 'pairwise')
    rows.push([
      'Position bias (share of decisive judgments for the left side)',
      pct(r.positionBias.rate),
      interval(r.positionBias.ci, pct),
      r.positionBias.n,
      '50% is no bias; sides were drawn at random per item.',
    ]);
  rows.push(
    [
      'Self-consistency (repeated items judged the same way)',
      pct(r.selfConsistency.rate),
      interval(r.selfConsistency.ci, pct),
      r.selfConsistency.n,
      'Each repeat is shown again with its sides swapped.',
    ],
    [
      `Agreement with the metric ${r.metricAgreement.metric}`,
      pct(r.metricAgreement.rate),
      interval(r.metricAgreement.ci, pct),
      r.metricAgreement.n,
      'Share of decisive judgments where the experiment’s primary metric prefers the same output.',
    ],
  );
  return {
    type: 'table',
    id: 'reliability',
    title: 'How far the judgments can be trusted',
    columns: ['Measure', 'Value', '95% CI', 'n', 'Reading'],
    rows,
    note: null,
  };
}

function verdictText(j: ReviewJudgment): string {
  if (j.winner === 'model_a') return `${j.modelA} better`;
  if (j.winner === 'model_b') return `${j.modelB} better`;
  if (j.winner === 'tie (bothbad)') return 'both bad';
  return j.winner;
}

/** Non-empty comments, one per text, those with tags first, then the newest; repeats only when they add a new text. */
export function selectComments(judgments: readonly ReviewJudgment[], max: number): ReviewJudgment[] {
  const seen = new Set<string>();
  return [...judgments]
    .filter((j) => j.comment.trim() !== '')
    .sort((x, y) => Number(y.tags.length > 0) - Number(x.tags.length > 0) || y.at.localeCompare(x.at))
    .filter((j) => {
      const key = j.comment.trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, max);
}
