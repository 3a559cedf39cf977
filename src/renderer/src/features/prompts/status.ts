// How a template version's workflow status reads on the Prompts screen: chip colour, and the action that moves it.
import { TEMPLATE_STATUS_MOVES, type TemplateStatus } from '../../../../shared/contract';

export const STATUS_COLORS: Readonly<Record<TemplateStatus, 'default' | 'info' | 'success' | 'warning'>> = {
  draft: 'default',
  'in-review': 'info',
  approved: 'success',
  deprecated: 'warning',
};

/** The button that makes each move, by target status (from in-review, `draft` sends it back). */
export const MOVE_LABELS: Readonly<Record<TemplateStatus, string>> = {
  'in-review': 'Submit for review',
  draft: 'Send back to draft',
  approved: 'Approve',
  deprecated: 'Deprecate',
};

export function movesFrom(status: TemplateStatus): readonly TemplateStatus[] {
  return TEMPLATE_STATUS_MOVES[status];
}
