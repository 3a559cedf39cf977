// An ablation's 2^k cells: from one specialization with k components (template, demonstrations, LoRA, soft prompt),
// every subset switched on. Cell masks use bit j for the specialization's j-th component (in COMPONENTS order).
// Each cell is a stored specialization of its own (derived from the full one), so its outputs are cached by hash.
import {
  COMPONENT_LABELS,
  type Component,
  type Specialization,
  type SpecializationParts,
} from '../../../shared/contract/specializations';
import type { ExperimentCell } from '../../../shared/contract/experiments';

export interface CellPlan {
  mask: number;
  components: Component[];
  label: string;
  parts: SpecializationParts;
}

/** At most 4 components (16 cells): a demonstration set without a template still counts as its own component. */
export function ablationCells(full: Specialization): CellPlan[] {
  const k = full.components.length;
  const cells: CellPlan[] = [];
  for (let mask = 0; mask < 1 << k; mask++) {
    const on = full.components.filter((_, j) => (mask & (1 << j)) !== 0);
    const has = (c: Component): boolean => on.includes(c);
    const parts: SpecializationParts = {
      modelId: full.modelId,
      templateVersionId: has('template') ? full.templateVersionId : null,
      demonstrationSetVersionId: has('demonstrations') ? full.demonstrationSetVersionId : null,
      loraAdapterId: has('lora') ? full.loraAdapterId : null,
      softPromptAdapterId: has('softPrompt') ? full.softPromptAdapterId : null,
      decoding: full.decoding,
    };
    cells.push({ mask, components: on, label: cellLabel(on), parts });
  }
  return cells;
}

export function cellLabel(on: readonly Component[]): string {
  return on.length === 0 ? 'base' : `base + ${on.map((c) => COMPONENT_LABELS[c]).join(' + ')}`;
}

export function compareCell(s: Specialization): ExperimentCell {
  return { specializationId: s.id, label: s.name, components: s.components, mask: null };
}
