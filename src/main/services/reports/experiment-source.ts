// The experiment (and ablation) report kind: subjects are experiments that have run (a partial run's report says so);
// a name on the command line finds one.
import type { CallContext } from '../../../shared/contract/define';
import type { Experiment } from '../../../shared/contract/experiments';
import type { ReportSubject } from '../../../shared/contract/reports';
import type { ReportDocument } from '../../../shared/report';
import type { ReportSource } from './report-source';
import { resolveSubject } from './resolve-subject';

export interface ExperimentSourceDeps {
  list(): Promise<Experiment[]>;
  reportDocument(id: string, ctx?: CallContext): Promise<ReportDocument>;
}

export class ExperimentReportSource implements ReportSource {
  readonly kind = 'experiment' as const;

  constructor(private readonly deps: ExperimentSourceDeps) {}

  async subjects(): Promise<ReportSubject[]> {
    return (await this.deps.list())
      .filter((e) => e.state !== 'created') // a report of a partial run says which outputs are missing
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((e) => ({ id: e.id, name: e.name }));
  }

  async resolve(idOrName: string): Promise<ReportSubject> {
    return resolveSubject('experiment', idOrName, await this.subjects());
  }

  build(id: string, ctx: CallContext | undefined): Promise<ReportDocument> {
    return this.deps.reportDocument(id, ctx);
  }
}
