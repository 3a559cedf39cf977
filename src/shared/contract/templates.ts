// Prompt templates (minimal here; the prompt studio of issue 7 builds on it) and demonstration sets. A template is
// Jinja over a dataset row's fields (@huggingface/jinja, the renderer training and inference use); `examples` holds
// the demonstration rows (empty when none are attached). Every save is an immutable, content-hashed version.
import { z } from 'zod';
import { defineService, method } from './define';

const count = z.number().int().nonnegative();
export const TemplateId = z.string().trim().min(1).max(64);
const Name = z.string().trim().min(1, 'A name is required').max(120);

export const TemplateVersion = z.object({
  id: z.string(),
  templateId: z.string(),
  name: z.string(),
  version: count,
  /** Jinja over the row's fields; `examples` is the list of demonstration rows. */
  source: z.string(),
  /** A system message when `chat` is on (null: none). */
  system: z.string().nullable(),
  /** Send the rendered text as a user turn through the model's chat template; otherwise as raw completion text. */
  chat: z.boolean(),
  message: z.string(),
  /** Field names the template reads (from the parsed template), for checks against a dataset. */
  fields: z.array(z.string()),
  contentHash: z.string(),
  createdAt: z.string(),
});
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const TemplateSummary = z.object({ id: z.string(), name: z.string(), latest: TemplateVersion, versions: count });
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const SaveTemplate = z.object({
  /** Absent: a new template named `name`. */
  templateId: TemplateId.optional(),
  name: Name.optional(),
  source: z.string().min(1, 'The template is empty').max(100_000, 'Templates are limited to 100,000 characters'),
  system: z.string().max(100_000).nullable().default(null),
  chat: z.boolean().default(false),
  message: z.string().trim().max(500).default(''),
}).strict();
export type SaveTemplate = z.input<typeof SaveTemplate>;

/** How a demonstration set picks its examples for an input: the listed rows, in order. */
export const DemonstrationSetVersion = z.object({
  id: z.string(),
  setId: z.string(),
  name: z.string(),
  version: count,
  datasetVersionId: z.string(),
  /** Row keys of the dataset version (its train split), in the order they are shown. */
  rowKeys: z.array(z.string()),
  message: z.string(),
  contentHash: z.string(),
  createdAt: z.string(),
});
export type DemonstrationSetVersion = z.infer<typeof DemonstrationSetVersion>;

export const SaveDemonstrations = z.object({
  setId: TemplateId.optional(),
  name: Name.optional(),
  datasetVersionId: z.string().min(1),
  rowKeys: z.array(z.string().min(1)).min(1, 'Choose at least one example').max(64, 'At most 64 examples'),
  message: z.string().trim().max(500).default(''),
}).strict();

export const RenderPreview = z.object({
  /** A saved version, or an unsaved source (the editor's). */
  versionId: z.string().optional(),
  source: z.string().optional(),
  system: z.string().nullable().optional(),
  chat: z.boolean().optional(),
  datasetVersionId: z.string().min(1),
  rowIdx: count,
  demonstrationSetVersionId: z.string().nullable().default(null),
}).strict();

export const RenderedPrompt = z.object({
  /** The text sent to the model (raw) or the user turn (chat). */
  text: z.string(),
  system: z.string().nullable(),
  chat: z.boolean(),
  /** The row's reference (expected output), when the dataset has one. */
  reference: z.string().nullable(),
});
export type RenderedPrompt = z.infer<typeof RenderedPrompt>;

const byId = z.object({ id: z.string().min(1) }).strict();

export const templatesContract = defineService(
  'templates',
  {
    list: method(z.object({}).strict(), z.array(TemplateSummary)),
    versions: method(z.object({ templateId: TemplateId }).strict(), z.array(TemplateVersion)),
    version: method(byId, TemplateVersion),
    /** Parses the template (a syntax error is a UserError with the line) and stores a new immutable version. */
    save: method(SaveTemplate, TemplateVersion),
    preview: method(RenderPreview, RenderedPrompt),
    demonstrationSets: method(z.object({}).strict(), z.array(DemonstrationSetVersion)),
    saveDemonstrations: method(SaveDemonstrations, DemonstrationSetVersion),
  },
  { onChanged: z.object({ kind: z.enum(['template', 'demonstrations']), id: z.string() }) },
);
