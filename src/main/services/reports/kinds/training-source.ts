// The training run kind: adapters trained in this workspace (an imported adapter has no run here, so it is not a
// subject), each reported from its job as stored: data, template, settings, losses, active check, time and speed.
import { basename } from 'node:path';
import type { TrainingJob } from '../../../../shared/contract/adapters';
import type { CallContext } from '../../../../shared/contract/define';
import type { ReportSubject } from '../../../../shared/contract/reports';
import { UserError } from '../../../../shared/errors';
import type { LineageObject } from '../../../../shared/lineage';
import type { ReportDocument } from '../../../../shared/report';
import type { ReportSource } from '../report-source';
import type { TrainingKindDeps } from './deps';
import { resolveSubject } from '../resolve-subject';
import { datasetObject, reportManifest } from './lineage';
import { buildTrainingReport, type TrainingReportInput } from './training-report';

export class TrainingReportSource implements ReportSource {
  readonly kind = 'training' as const;

  constructor(private readonly deps: TrainingKindDeps) {}

  async subjects(): Promise<ReportSubject[]> {
    return (await this.deps.adapters.list())
      .filter((a) => a.source === 'trained' && a.jobId !== null)
      .sort((x, y) => y.createdAt.localeCompare(x.createdAt))
      .map((a) => ({ id: a.id, name: a.name }));
  }

  async resolve(idOrName: string): Promise<ReportSubject> {
    const imported = (await this.deps.adapters.list()).find(
      (a) => a.source === 'imported' && (a.id === idOrName || a.name.toLowerCase() === idOrName.trim().toLowerCase()),
    );
    if (imported && !(await this.subjects()).some((s) => s.name === imported.name))
      throw new UserError(`The adapter "${imported.name}" was imported: it has no training run in this workspace`, {
        code: 'report-subject',
        where: idOrName,
        hint: 'Its model card (dovetail_adapter.json) says how it was trained, if the folder had one.',
      });
    return resolveSubject('trained adapter', idOrName, await this.subjects());
  }

  async build(subjectId: string, ctx: CallContext | undefined): Promise<ReportDocument> {
    const details = await this.deps.adapters.get({ id: subjectId });
    if (details.source !== 'trained' || details.jobId === null)
      throw new UserError(`The adapter "${details.name}" was imported: it has no training run in this workspace`, {
        code: 'report-subject',
        where: subjectId,
      });
    const { history: _history, lineage: sidecar, training: _training, ...adapter } = details;
    const job = await this.deps.adapters.job({ id: details.jobId });
    const model = await this.deps.model(adapter.modelId);
    const recorded = (key: 'dataset' | 'template'): string | null => {
      const v = (sidecar[key] as { version?: unknown } | undefined)?.version;
      return typeof v === 'string' ? v : null;
    };
    const objects: LineageObject[] = [];
    const data = await this.data(job, recorded('dataset'), objects);
    let template: TrainingReportInput['template'] = {
      name: 'prompt written in the training wizard',
      hash: recorded('template'),
    };
    const templateVersionId = job.spec.template.templateVersionId;
    if (templateVersionId !== null) {
      const t = await this.deps.templateVersion(templateVersionId).catch(() => null);
      if (t) {
        template = { name: `${t.name} v${t.version}`, hash: t.contentHash };
        objects.push({
          kind: 'templateVersion',
          id: t.id,
          name: template.name,
          hash: t.contentHash,
          detail: { status: t.status },
        });
      }
    }
    const lineage = reportManifest(
      { kind: 'adapter', id: adapter.id, name: adapter.name },
      [
        {
          kind: 'adapter',
          id: adapter.id,
          name: adapter.name,
          hash: await this.deps.adapters.contentHash(adapter.id),
          detail: {
            method: adapter.method,
            source: adapter.source,
            'training run': job.name,
            'trained on': data.name,
            steps: job.progress?.step ?? null,
            seed: job.spec.hyper.seed,
            started: job.createdAt,
            saved: adapter.createdAt,
          },
        },
        { kind: 'model', id: model.id, name: model.name, hash: model.contentHash, detail: {} },
        ...objects,
      ],
      this.deps,
      ctx,
    );
    return buildTrainingReport({ adapter, job, modelName: model.name, data, template, lineage });
  }

  private async data(
    job: TrainingJob,
    recordedHash: string | null,
    objects: LineageObject[],
  ): Promise<TrainingReportInput['data']> {
    const source = job.spec.data;
    const t = job.spec.template;
    if (source.kind === 'dataset') {
      const d = await this.deps.datasetFacts(source.datasetVersionId).catch(() => null);
      if (d) {
        const trainRows = t.maxRows === null ? d.splits.train : Math.min(t.maxRows, d.splits.train);
        const validationRows = Math.min(t.validationRows, d.splits.validation);
        objects.push({
          ...datasetObject(d, 'train', trainRows, 'training data'),
          detail: {
            role: 'training data',
            split: 'train',
            'rows in split': d.splits.train,
            'rows used': trainRows,
            'validation rows used': validationRows,
          },
        });
        return { name: `${d.name} v${d.version}`, hash: d.contentHash, trainRows, validationRows };
      }
      return {
        name: `dataset version ${source.datasetVersionId} (since removed)`,
        hash: recordedHash,
        trainRows: null,
        validationRows: null,
      };
    }
    const name =
      source.kind === 'bundled' ? `the bundled demo dataset "${source.dataset}"` : `the file ${basename(source.path)}`;
    return { name, hash: recordedHash, trainRows: null, validationRows: null };
  }
}
