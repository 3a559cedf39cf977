// Train/serve skew: an adapter learns the prompt it was trained with. Served under another template version (or
// none), its inputs differ from training, and it may do worse than its training suggested.
import type { Specialization } from '../../../shared/contract/specializations';

export interface SkewDeps {
  readonly adapterName: (id: string) => string;
  /** The template version the adapter was trained with (null: an inline prompt or an imported adapter). */
  readonly trainedWith: (adapterId: string) => string | null;
  readonly templateVersion: (id: string) => { name: string; version: number };
}

export function templateSkewWarnings(
  spec: Pick<Specialization, 'loraAdapterId' | 'softPromptAdapterId' | 'templateVersionId'>,
  deps: SkewDeps,
): string[] {
  const adapters = [
    ...new Set([spec.loraAdapterId, spec.softPromptAdapterId].filter((id): id is string => id !== null)),
  ];
  const label = (id: string): string => {
    const v = deps.templateVersion(id);
    return `template "${v.name}" version ${v.version}`;
  };
  return adapters.flatMap((adapterId) => {
    const trained = deps.trainedWith(adapterId);
    if (trained === null || trained === spec.templateVersionId) return [];
    const served = spec.templateVersionId === null ? 'no template' : label(spec.templateVersionId);
    return [
      `Train/serve skew: the adapter "${deps.adapterName(adapterId)}" was trained with ${label(trained)}, and this specialization uses ${served}. ` +
        'Its prompts differ from the ones the adapter learned; use the same version, or train the adapter again ' +
        'with this one.',
    ];
  });
}
