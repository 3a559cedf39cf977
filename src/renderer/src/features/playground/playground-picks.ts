// What the Playground runs (pure): the model alone (a chat or raw prompt), a saved specialization, or a model with
// parts picked here; the picks a "Try it" of an adapter or a specialization opens with; ids that no longer exist.
import type {
  AdapterRecord,
  DecodingOverrides,
  PlaygroundSettings,
  Specialization,
  SpecializationParts,
} from '../../../../shared/contract';

export type Picks = PlaygroundSettings;

export type PickKey = 'loraAdapterId' | 'softPromptAdapterId' | 'templateVersionId' | 'demonstrationSetVersionId';
export const PART_KEYS: readonly PickKey[] = [
  'loraAdapterId',
  'softPromptAdapterId',
  'templateVersionId',
  'demonstrationSetVersionId',
];

/** How a run starts: the model's prompt (generation.start), or one input through specializations.try / tryParts. */
export type RunKind = 'model' | 'specialization' | 'parts';

export function runKind(p: Picks): RunKind {
  if (p.specializationId !== null) return 'specialization';
  return PART_KEYS.some((k) => p[k] !== null) ? 'parts' : 'model';
}

/** An adapter's "Try it": its model, its LoRA and/or soft prompt, the template version it was trained with. */
export function picksForAdapter(
  a: Pick<AdapterRecord, 'id' | 'modelId' | 'method'>,
  templateVersionId: string | null,
  current: Picks,
): Picks {
  return {
    ...current,
    specializationId: null,
    modelId: a.modelId,
    loraAdapterId: a.method === 'soft-prompt' ? null : a.id,
    softPromptAdapterId: a.method === 'lora' ? null : a.id,
    templateVersionId,
    demonstrationSetVersionId: null,
  };
}

/** A specialization's "Try it": run as saved, its decoding shown (and editable) in the Playground. */
export function picksForSpecialization(s: Specialization, current: Picks): Picks {
  return {
    ...current,
    specializationId: s.id,
    modelId: s.modelId,
    loraAdapterId: s.loraAdapterId,
    softPromptAdapterId: s.softPromptAdapterId,
    templateVersionId: s.templateVersionId,
    demonstrationSetVersionId: s.demonstrationSetVersionId,
    decoding: s.decoding,
  };
}

/** The parts to send for unsaved picks, with the Playground's decoding. */
export function partsOf(p: Picks, modelId: string, decoding: DecodingOverrides): SpecializationParts {
  return {
    modelId,
    loraAdapterId: p.loraAdapterId,
    softPromptAdapterId: p.softPromptAdapterId,
    templateVersionId: p.templateVersionId,
    demonstrationSetVersionId: p.demonstrationSetVersionId,
    decoding,
  };
}

export interface Known {
  readonly specializations: readonly { id: string }[] | undefined;
  readonly adapters: readonly { id: string; modelId: string }[] | undefined;
  readonly demonstrations: readonly { id: string }[] | undefined;
}

/**
 * The picks without what has gone since they were saved (a removed adapter, specialization or demonstration set) or
 * does not fit the model; a list not loaded yet leaves its picks as they are.
 */
export function withoutStale(p: Picks, known: Known, modelId: string): Picks {
  const has = (list: readonly { id: string }[] | undefined, id: string | null) =>
    id === null || list === undefined || list.some((x) => x.id === id);
  const adapterFits = (id: string | null) =>
    id === null || known.adapters === undefined || known.adapters.some((a) => a.id === id && a.modelId === modelId);
  const next: Picks = {
    ...p,
    specializationId: has(known.specializations, p.specializationId) ? p.specializationId : null,
    loraAdapterId: adapterFits(p.loraAdapterId) ? p.loraAdapterId : null,
    softPromptAdapterId: adapterFits(p.softPromptAdapterId) ? p.softPromptAdapterId : null,
    demonstrationSetVersionId: has(known.demonstrations, p.demonstrationSetVersionId)
      ? p.demonstrationSetVersionId
      : null,
  };
  return PART_KEYS.every((k) => next[k] === p[k]) && next.specializationId === p.specializationId ? p : next;
}
