// What a report kind plugs into the reports service: the subjects it can report on, how a name given on the command
// line finds one, and how its document is built from stored results. One source per kind, wired in compose.ts.
import type { CallContext } from '../../../shared/contract/define';
import type { ReportSubject } from '../../../shared/contract/reports';
import type { ReportDocument, ReportKind } from '../../../shared/report';

export interface ReportSource {
  readonly kind: ReportKind;
  /** Every subject of this kind in the open workspace, newest first. */
  subjects(): Promise<ReportSubject[]>;
  /** A subject by id or by the name people gave it; a UserError naming kind and name when none or several match. */
  resolve(idOrName: string): Promise<ReportSubject>;
  /** The report's document, lineage included; `against` is the second subject of a comparison (null otherwise). */
  build(subjectId: string, ctx: CallContext | undefined, against: string | null): Promise<ReportDocument>;
}
