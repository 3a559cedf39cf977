// Specializations: the bundle Dovetail evaluates and ships. A base model plus optional LoRA, soft prompt, template
// version and demonstration set, plus decoding settings; content-hashed (the same bundle is stored once) and
// immutable. Its components are what an ablation switches on and off.
import { z } from 'zod';
import { DecodingOverrides } from '../decoding-settings';
import { defineService, method } from './define';
import { ModelId } from './models';
import { RunId } from './generation';

const Id = z.string().trim().min(1).max(64);

/** The parts an ablation can switch off, in the order cells are numbered (bit j of a cell mask = COMPONENTS[j] on). */
export const COMPONENTS = ['template', 'demonstrations', 'lora', 'softPrompt'] as const;
export const Component = z.enum(COMPONENTS);
export type Component = z.infer<typeof Component>;

export const COMPONENT_LABELS: Record<Component, string> = {
  template: 'template',
  demonstrations: 'demonstrations',
  lora: 'LoRA adapter',
  softPrompt: 'soft prompt',
};

export const SpecializationParts = z
  .object({
    modelId: ModelId,
    /** An adapter with a LoRA part (method lora or both). */
    loraAdapterId: Id.nullable().default(null),
    /** An adapter with a soft-prompt part (method soft-prompt or both). */
    softPromptAdapterId: Id.nullable().default(null),
    templateVersionId: Id.nullable().default(null),
    demonstrationSetVersionId: Id.nullable().default(null),
    /** Overrides of the model's generation defaults (greedy unless do_sample). */
    decoding: DecodingOverrides.default({}),
  })
  .strict();
export type SpecializationParts = z.infer<typeof SpecializationParts>;

export const Specialization = SpecializationParts.extend({
  id: z.string(),
  name: z.string(),
  /** sha256 of the canonical parts (model content hash, adapter files, template and demonstration hashes, decoding). */
  hash: z.string(),
  components: z.array(Component),
  /** Set for the cells an ablation generated from it. */
  derivedFrom: z.string().nullable(),
  createdAt: z.string(),
});
export type Specialization = z.infer<typeof Specialization>;

export const CreateSpecialization = SpecializationParts.extend({
  name: z.string().trim().min(1, 'A name is required').max(120),
}).strict();
export type CreateSpecializationIn = z.input<typeof CreateSpecialization>;

/** Values of the dataset fields the template reads (without a template: the text sent as-is under `input`). */
const TryFields = z.record(z.string(), z.string());

export const TrySpecialization = z
  .object({
    specializationId: Id,
    fields: TryFields,
    /** Decoding for this run in place of the specialization's own (the Playground's settings); absent: its own. */
    decoding: DecodingOverrides.optional(),
    /** Demonstration rows come from the set's dataset; nothing else is needed. */
  })
  .strict();

/** A bundle that is not saved (the Playground's picks), checked as `create` checks one, run on one input. */
export const TryParts = z.object({ parts: SpecializationParts, fields: TryFields }).strict();

const TryStarted = z.object({ runId: RunId, prompt: z.string() });

export const specializationsContract = defineService(
  'specializations',
  {
    list: method(z.object({}).strict(), z.array(Specialization)),
    get: method(z.object({ id: Id }).strict(), Specialization),
    /** Stores the bundle, or returns the existing one with the same content hash (its name kept). */
    /** warnings: train/serve skew (an adapter trained with another template version than the one chosen). */
    create: method(CreateSpecialization, Specialization.extend({ warnings: z.array(z.string()).default([]) })),
    /**
     * Starts a streaming generation of the specialization on one input, for the live side-by-side Playground; its
     * tokens and result come as generation.onToken / generation.onFinished events of the returned run.
     */
    try: method(TrySpecialization, TryStarted),
    /** The same for parts picked in the Playground without saving them (nothing is stored). */
    tryParts: method(TryParts, TryStarted),
  },
  { onChanged: z.object({ id: z.string() }) },
);
