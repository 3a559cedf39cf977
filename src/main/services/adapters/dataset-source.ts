// Training rows from a dataset version of the workspace: the train split for training, the validation split for the
// validation loss, the reference field as the target, rendered by the same renderRow as experiments (so the adapter
// is trained on exactly the prompt it will be served with).
import { createHash } from 'node:crypto';
import type { TrainingTemplate } from '../../../shared/contract/adapters';
import { UserError } from '../../../shared/errors';
import {
  compile,
  type CompiledTemplate,
  type DatasetReader,
  type ReaderRow,
  type TemplatesService,
} from '../templates';
import { WarningTally, type RenderedData, type TrainingPair } from './training-data';

export interface DatasetSourceDeps {
  readonly datasets: DatasetReader;
  readonly templates: Pick<TemplatesService, 'compiled' | 'templateVersion' | 'render'>;
}

export type RenderDataset = (datasetVersionId: string, template: TrainingTemplate) => Promise<RenderedData>;

export function datasetRenderer(deps: DatasetSourceDeps): RenderDataset {
  return async (datasetVersionId, t) => {
    const facts = deps.datasets.versionFacts(datasetVersionId);
    const reference = facts.roles.reference;
    if (reference === null) {
      throw new UserError(`${facts.name} v${facts.version} has no reference field to train towards`, {
        code: 'train-data',
        where: 'data.datasetVersionId',
        hint: 'Import the dataset with a reference (expected output) field.',
      });
    }
    const version = t.templateVersionId === null ? null : deps.templates.templateVersion(t.templateVersionId);
    const compiled: CompiledTemplate =
      version === null
        ? compile({ source: t.prompt, system: null, chat: t.chat }, 'template.prompt')
        : deps.templates.compiled(version.id);
    const roles = { input: facts.roles.input, reference };
    const warnings = new WarningTally();
    // All rows of a split in one batch (render.ts splits it into worker round trips); the first failure fails training.
    const pairs = async (rows: ReaderRow[]): Promise<TrainingPair[]> => {
      const targets = rows.map((row) => {
        const target = row.data[reference];
        if (typeof target !== 'string' || target === '') {
          throw new UserError(`Row ${row.key} of ${facts.name} has no text in its reference field "${reference}"`, {
            code: 'train-data',
            where: `${facts.name}: ${row.key}`,
          });
        }
        return target;
      });
      const outcomes = await deps.templates.render(
        compiled,
        roles,
        rows.map((row) => ({ row: row.data, examples: [], where: `row ${row.key}` })),
        { stopOnError: true },
      );
      return outcomes.map((outcome, i) => {
        if (!outcome.ok) throw outcome.error;
        warnings.add(outcome.rendered.warnings);
        return { prompt: outcome.rendered.text, target: targets[i]! };
      });
    };
    const train = await pairs(
      deps.datasets.readRows(datasetVersionId, 'train', t.maxRows === null ? {} : { limit: t.maxRows }),
    );
    if (train.length === 0)
      throw new UserError(`The train split of ${facts.name} v${facts.version} has no rows`, {
        code: 'train-data',
        where: 'data.datasetVersionId',
      });
    const validation =
      t.validationRows === 0
        ? []
        : await pairs(deps.datasets.readRows(datasetVersionId, 'validation', { limit: t.validationRows }));
    return {
      pairs: train,
      validation,
      sourceId: `dataset:${facts.name} v${facts.version} (${facts.id})`,
      contentHash: facts.contentHash,
      chat: compiled.like.chat,
      templateHash:
        version?.contentHash ??
        createHash('sha256')
          .update(JSON.stringify(['template/1', t.prompt, null, t.chat]))
          .digest('hex'),
      warnings: warnings.list(train.length + validation.length),
    };
  };
}
