// The imports service (importsContract): other tools' files previewed, then made into Dovetail objects through the
// services that own them (datasets, templates, specializations, experiments). A promptfoo import is refused whole
// while its preview has a problem; once the dataset is written, a later failure removes it again, so nothing of a
// failed import stays behind except template versions, which are immutable by design (none is written before every
// template has parsed).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { ServiceImpl } from '../../../shared/contract/define';
import { ImportDataset, type ImportResult } from '../../../shared/contract/datasets';
import { ExperimentSpec, type Experiment } from '../../../shared/contract/experiments';
import type {
  GradersPreview,
  importsContract,
  PromptfooImported,
  PromptfooPreview,
} from '../../../shared/contract/imports';
import { CreateSpecialization, type Specialization } from '../../../shared/contract/specializations';
import { SaveTemplate, type TemplateVersion } from '../../../shared/contract/templates';
import { UserError } from '../../../shared/errors';
import { readUserText } from '../../platform/files/text-stream';
import { checkPathText } from '../../platform/files/user-files';
import { rowProblemsError } from '../datasets/problems';
import { resolveFolderPath, type PathBase } from '../workspace/layout';
import { planGraders } from './openai-graders';
import type { PickedJudge } from './judge-graders';
import { planPromptfoo, type PromptfooPlan } from './promptfoo-config';

type Contract = typeof importsContract;

/** Configs and grader files are small text files, read whole. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const SAMPLE_ROWS = 20;

export interface ImportsServiceDeps {
  readonly datasets: {
    import(arg: ImportDataset): Promise<ImportResult>;
    remove(arg: { id: string }): Promise<null>;
  };
  readonly templates: { save(arg: z.output<typeof SaveTemplate>): Promise<TemplateVersion> };
  readonly specializations: {
    create(arg: z.output<typeof CreateSpecialization>): Promise<Specialization>;
    get(arg: { id: string }): Promise<Specialization>;
  };
  readonly experiments: { create(spec: ExperimentSpec): Promise<Experiment> };
  /** Refuses an unknown model (a UserError) before anything is written. */
  readonly models: { get(arg: { id: string }): Promise<unknown> };
  readonly paths?: Partial<PathBase>;
}

export class ImportsService implements ServiceImpl<Contract> {
  private readonly pathBase: PathBase;

  constructor(private readonly deps: ImportsServiceDeps) {
    const home = deps.paths?.homeDir ?? os.homedir();
    this.pathBase = { homeDir: home, relativeTo: deps.paths?.relativeTo ?? home };
  }

  async inspectPromptfoo(arg: { path: string; judgeId?: string | undefined }): Promise<PromptfooPreview> {
    const judge = await this.judge(arg.judgeId, 'imports.inspectPromptfoo: judgeId');
    const { path, plan } = await this.readPromptfoo(arg.path, 'imports.inspectPromptfoo: path', judge);
    return {
      path,
      description: plan.description,
      templates: plan.templates,
      dataset: { columns: plan.columns, rows: plan.rows.length, sample: plan.rows.slice(0, SAMPLE_ROWS) },
      metrics: plan.metrics,
      unsupported: plan.unsupported,
      notes: plan.notes,
      problems: plan.problems,
    };
  }

  async importPromptfoo(arg: {
    path: string;
    name: string;
    modelId: string;
    judgeId?: string | undefined;
  }): Promise<PromptfooImported> {
    const judge = await this.judge(arg.judgeId, 'imports.importPromptfoo: judgeId');
    const { path, plan } = await this.readPromptfoo(arg.path, 'imports.importPromptfoo: path', judge);
    if (plan.problems.length > 0) throw rowProblemsError(plan.problems, new Map([[basename(path), path]]), false);
    await this.deps.models.get({ id: arg.modelId });
    const imported = await this.writeDataset(plan, path, arg.name);
    try {
      const templateVersionIds: string[] = [];
      const specializationIds: string[] = [];
      for (const t of plan.templates) {
        const version = await this.deps.templates.save(
          SaveTemplate.parse({
            name: `${arg.name}: ${t.label}`,
            source: t.source,
            system: t.system,
            chat: t.chat,
            message: `Imported from the promptfoo config ${basename(path)}.`,
          }),
        );
        templateVersionIds.push(version.id);
        const specialization = await this.deps.specializations.create(
          CreateSpecialization.parse({
            name: `${arg.name}: ${t.label}`,
            modelId: arg.modelId,
            templateVersionId: version.id,
          }),
        );
        specializationIds.push(specialization.id);
      }
      const metrics = plan.metrics.length > 0 ? plan.metrics.map((m) => m.spec) : [{ kind: 'length', unit: 'chars' }];
      const experiment = await this.deps.experiments.create(
        ExperimentSpec.parse({
          name: arg.name,
          datasetVersionId: imported.version.id,
          split: 'test',
          design: { kind: 'compare', specializationIds },
          metrics,
        }),
      );
      return {
        datasetVersionId: imported.version.id,
        templateVersionIds,
        specializationIds,
        experimentId: experiment.id,
      };
    } catch (error) {
      await this.deps.datasets.remove({ id: imported.version.datasetId });
      throw error;
    }
  }

  async inspectGraders(arg: { path: string; judgeId?: string | undefined }): Promise<GradersPreview> {
    const judge = await this.judge(arg.judgeId, 'imports.inspectGraders: judgeId');
    const path = this.resolve(arg.path, 'imports.inspectGraders: path');
    const { text } = await readUserText(path, {
      where: 'imports.inspectGraders: path',
      maxBytes: MAX_CONFIG_BYTES,
      expected: 'a .json file of OpenAI graders',
    });
    return { path, ...planGraders(text, basename(path), judge) };
  }

  /** The picked judge specialization, or a UserError saying it is not in this workspace. */
  private async judge(id: string | undefined, where: string): Promise<PickedJudge | null> {
    if (id === undefined) return null;
    try {
      const s = await this.deps.specializations.get({ id });
      return { id: s.id, name: s.name };
    } catch (error) {
      throw new UserError(`The judge specialization ${id} is not in this workspace`, {
        code: 'judge-missing',
        where,
        hint: 'Pick a judge from the list (a specialization: a local model with a template), or create one first.',
        cause: error,
      });
    }
  }

  /** Every test as a row of the test split, through the datasets service's own import (checked, one transaction). */
  private async writeDataset(plan: PromptfooPlan, config: string, name: string): Promise<ImportResult> {
    const folder = await mkdtemp(join(os.tmpdir(), 'dovetail-promptfoo-'));
    try {
      const file = join(folder, `${basename(config).replace(/\.[^.]+$/, '')}.tests.jsonl`);
      await writeFile(file, plan.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      return await this.deps.datasets.import(
        ImportDataset.parse({
          newName: name,
          message: `Tests of the promptfoo config ${config}.`,
          files: [{ path: file, split: 'test' }],
          mapping: plan.columns.map((c) => ({ source: c.name, name: c.name, role: c.role })),
          split: { kind: 'given' },
        }),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private async readPromptfoo(
    input: string,
    where: string,
    judge: PickedJudge | null,
  ): Promise<{ path: string; plan: PromptfooPlan }> {
    const path = this.resolve(input, where);
    const { text } = await readUserText(path, {
      where,
      maxBytes: MAX_CONFIG_BYTES,
      expected: 'a promptfoo config (.yaml or .json)',
    });
    return { path, plan: planPromptfoo(text, basename(path), judge) };
  }

  private resolve(input: string, where: string): string {
    checkPathText(input, where);
    const path = resolveFolderPath(input, this.pathBase);
    if (path.trim() === '') throw new UserError('A file path is required.', { code: 'path', where });
    return path;
  }
}
