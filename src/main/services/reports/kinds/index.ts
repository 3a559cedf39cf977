// The report kinds other than experiments, as sources the reports service plugs in: one call in compose.ts makes
// them all from the services' methods (see ReportKindsDeps), and hands back the review round lineage that the
// reviews service's exports carry beside their battles.
import type { CallContext } from '../../../../shared/contract/define';
import type { LineageManifest } from '../../../../shared/lineage';
import type { ReportSource } from '../report-source';
import type { ReportKindsDeps } from './deps';
import { ReleaseComparisonSource, ReleaseReportSource } from './release-source';
import { ReviewReportSource } from './review-source';
import { TrainingReportSource } from './training-source';

export type { ReportKindsDeps, ReviewKindDeps, TrainingKindDeps, ReleaseKindDeps, DatasetFacts } from './deps';
export type { ReviewJudgment } from './review-report';
export { ReviewReportSource, TrainingReportSource, ReleaseReportSource, ReleaseComparisonSource };

export interface ReportKinds {
  /** review, training, release, release-comparison. */
  sources: ReportSource[];
  /** A closed round's lineage manifest (for the sidecar of its FastChat and CSV exports). */
  reviewLineage(roundId: string, ctx: CallContext | undefined): Promise<LineageManifest>;
}

export function createReportKinds(deps: ReportKindsDeps): ReportKinds {
  const review = new ReviewReportSource(deps);
  return {
    sources: [review, new TrainingReportSource(deps), new ReleaseReportSource(deps), new ReleaseComparisonSource(deps)],
    reviewLineage: (roundId, ctx) => review.lineage(roundId, ctx),
  };
}
