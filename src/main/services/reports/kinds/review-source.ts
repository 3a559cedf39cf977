// The review round kind: closed rounds (an open one's results are refused to keep its reviewers blind), the report
// built from the reviews service's own analysis, and the round's lineage, which the FastChat export's sidecar reuses.
import type { CallContext } from '../../../../shared/contract/define';
import type { ReportSubject } from '../../../../shared/contract/reports';
import type { LineageManifest } from '../../../../shared/lineage';
import type { ReportDocument } from '../../../../shared/report';
import { experimentObjects } from '../experiment-lineage';
import type { ReportSource } from '../report-source';
import type { ReviewKindDeps } from './deps';
import { resolveSubject } from '../resolve-subject';
import { reportManifest, withTrainingData } from './lineage';
import { buildReviewReport } from './review-report';

const CLI: CallContext = { transport: 'cli' };

export class ReviewReportSource implements ReportSource {
  readonly kind = 'review' as const;

  constructor(private readonly deps: ReviewKindDeps) {}

  async subjects(): Promise<ReportSubject[]> {
    return this.deps.reviews
      .closedRounds()
      .sort((x, y) => (y.closedAt ?? '').localeCompare(x.closedAt ?? ''))
      .map((r) => ({ id: r.id, name: r.name }));
  }

  async resolve(idOrName: string): Promise<ReportSubject> {
    return resolveSubject('closed review round', idOrName, await this.subjects());
  }

  async build(subjectId: string, ctx: CallContext | undefined): Promise<ReportDocument> {
    const results = await this.deps.reviews.results({ id: subjectId }); // refuses an open round, by name
    const [round, judgments] = await Promise.all([
      this.deps.reviews.get({ id: subjectId }, ctx ?? CLI),
      this.deps.reviews.judgments(subjectId),
    ]);
    return buildReviewReport({ round, results, judgments, lineage: await this.lineage(subjectId, ctx) });
  }

  /** The round, its experiment's dataset version (split, items drawn), and every compared specialization's parts. */
  async lineage(roundId: string, ctx: CallContext | undefined): Promise<LineageManifest> {
    const round = await this.deps.reviews.get({ id: roundId }, ctx ?? CLI);
    const experiment = await this.deps.experiment(round.spec.experimentId);
    const facts = await this.deps.datasetFacts(experiment.spec.datasetVersionId);
    const compared = new Set(round.specializations.map((s) => s.id));
    const objects = await experimentObjects(
      { ...experiment, cells: experiment.cells.filter((c) => compared.has(c.specializationId)) },
      round.units,
      {
        dataset: () => facts,
        specialization: (id) => this.deps.specializationLineage(id),
      },
    );
    return reportManifest(
      { kind: 'reviewRound', id: round.id, name: round.name },
      [
        {
          kind: 'reviewRound',
          id: round.id,
          name: round.name,
          hash: null,
          detail: {
            mode: round.mode,
            state: round.state,
            reviewers: round.spec.reviewerIds.length,
            overlap: round.spec.overlap,
            sample: round.spec.sample.kind,
            seed: round.spec.seed,
            opened: round.createdAt,
            closed: round.closedAt,
          },
        },
        ...(await withTrainingData(objects, this.deps)),
      ],
      this.deps,
      ctx,
    );
  }
}
