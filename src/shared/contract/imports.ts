// Imports of other tools' assets: a promptfoo config (prompts -> templates, tests -> a dataset, assertions ->
// metrics, run as one experiment on a local model) and OpenAI eval graders (-> metrics). Each is previewed first;
// the import itself is all or nothing, and problems name the file's line.
import { z } from 'zod';
import { MetricSpec } from '../metrics';
import { DatasetName, FieldRole, RowProblem } from './datasets';
import { defineService, method } from './define';
import { ModelId } from './models';
import { userPath } from './paths';

const count = z.number().int().nonnegative();
export const ImportFilePath = userPath('A file path is required');

/** A metric made from another tool's check: `from` says which (with its place in the file), `note` how it differs. */
export const ImportedMetric = z.object({ spec: MetricSpec, from: z.string(), note: z.string().nullable() });
export type ImportedMetric = z.infer<typeof ImportedMetric>;

/** A check with no equivalent here, by name, with why. */
export const UnsupportedCheck = z.object({ name: z.string(), from: z.string(), reason: z.string() });
export type UnsupportedCheck = z.infer<typeof UnsupportedCheck>;

export const ImportedTemplate = z.object({
  label: z.string(),
  /** The prompt in Dovetail's template syntax (Jinja), converted from promptfoo's Nunjucks. */
  source: z.string(),
  system: z.string().nullable(),
  chat: z.boolean(),
  fields: z.array(z.string()),
});
export type ImportedTemplate = z.infer<typeof ImportedTemplate>;

export const PromptfooPreview = z.object({
  path: z.string(),
  description: z.string().nullable(),
  templates: z.array(ImportedTemplate),
  dataset: z.object({
    columns: z.array(z.object({ name: z.string(), role: FieldRole })),
    rows: count,
    /** The first rows as they will be stored. */
    sample: z.array(z.record(z.string(), z.unknown())),
  }),
  metrics: z.array(ImportedMetric),
  unsupported: z.array(UnsupportedCheck),
  /** What the import does differently from promptfoo, in words (providers replaced by a local model, ...). */
  notes: z.array(z.string()),
  /** Lines of the config that stop the import (the import refuses while there are any). */
  problems: z.array(RowProblem),
});
export type PromptfooPreview = z.infer<typeof PromptfooPreview>;

export const PromptfooImported = z.object({
  datasetVersionId: z.string(),
  templateVersionIds: z.array(z.string()),
  specializationIds: z.array(z.string()),
  experimentId: z.string(),
});
export type PromptfooImported = z.infer<typeof PromptfooImported>;

export const GradersPreview = z.object({
  path: z.string(),
  metrics: z.array(ImportedMetric),
  unsupported: z.array(UnsupportedCheck),
  notes: z.array(z.string()),
  problems: z.array(RowProblem),
});
export type GradersPreview = z.infer<typeof GradersPreview>;

/** The local judge specialization that runs model graders (OpenAI's score_model / label_model, promptfoo's llm-rubric). */
const JudgeId = z.string().min(1, { error: 'must name a judge specialization' }).optional();
const byPath = z.object({ path: ImportFilePath, judgeId: JudgeId }).strict();

export const importsContract = defineService('imports', {
  /** Reads a promptfoo config (YAML or JSON) and says what importing it would make. */
  inspectPromptfoo: method(byPath, PromptfooPreview),
  /**
   * Makes the templates, the dataset (every test in the test split), one specialization per prompt on `modelId`
   * and an experiment comparing them with the metrics; refused whole while the preview has problems.
   */
  importPromptfoo: method(
    z.object({ path: ImportFilePath, name: DatasetName, modelId: ModelId, judgeId: JudgeId }).strict(),
    PromptfooImported,
  ),
  /**
   * Reads OpenAI eval graders (one grader, a list, or an eval's `testing_criteria`) as metrics; with `judgeId`, model
   * graders become judge metrics run by that specialization (without it they are listed, saying a judge is needed).
   */
  inspectGraders: method(byPath, GradersPreview),
});
