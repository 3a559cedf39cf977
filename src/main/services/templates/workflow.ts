// The review workflow of template versions: whether a move (the table is TEMPLATE_STATUS_MOVES in the contract) is
// allowed. Versions never change content, so "editing an approved version" is a save, which always makes a new draft.
// Approving or deprecating needs an editor or admin (enforced here, not only in the UI); approving also needs someone
// other than the author and a passing check report. The service supplies the facts, this file decides.
import {
  TEMPLATE_STATUS_LABELS as STATUS_LABELS,
  TEMPLATE_STATUS_MOVES as STATUS_MOVES,
  type TemplateCheckReport,
  type TemplateStatus,
  type TemplateVersion,
} from '../../../shared/contract/templates';
import type { User, UserRole } from '../../../shared/contract/users';
import { UserError } from '../../../shared/errors';

/** Roles that may approve or deprecate a template version; anyone may draft and submit for review. */
export const TEMPLATE_GATEKEEPERS: readonly UserRole[] = ['editor', 'admin'];
const GATED: readonly TemplateStatus[] = ['approved', 'deprecated'];

/** Throws the UserError that says why `actor` may not move `version` to `to`. */
export function checkMove(
  version: TemplateVersion,
  to: TemplateStatus,
  actor: Pick<User, 'id' | 'name' | 'role' | 'protected'>,
  checks: TemplateCheckReport | null,
): void {
  const from = version.status;
  const where = `${version.name} v${version.version}`;
  if (!STATUS_MOVES[from].includes(to)) {
    const allowed = STATUS_MOVES[from].map((s) => STATUS_LABELS[s]);
    throw new UserError(`Version ${version.version} is ${STATUS_LABELS[from]}: it cannot become ${STATUS_LABELS[to]}`, {
      code: 'template-status',
      where,
      hint:
        allowed.length === 0
          ? 'A deprecated version stays deprecated; restore it as a new version to use it again.'
          : `From ${STATUS_LABELS[from]} it can become ${allowed.join(' or ')}.`,
    });
  }
  if (GATED.includes(to) && !TEMPLATE_GATEKEEPERS.includes(actor.role)) {
    throw new UserError(
      `${actor.name} is ${actor.role === 'admin' || actor.role === 'analyst' ? 'an' : 'a'} ${actor.role}: only editors and admins may make a version ${STATUS_LABELS[to]}`,
      {
        code: 'template-role',
        where,
        hint: 'Switch to an editor or admin in the top bar, or ask an admin to give you the editor role.',
      },
    );
  }
  if (to !== 'approved') return;
  if (version.author !== null && version.author === actor.id) {
    throw new UserError(
      `${version.authorName ?? 'The author'} wrote version ${version.version} and cannot approve it`,
      {
        code: 'template-self-approval',
        where,
        hint: 'Switch to another user in the top bar: approval needs a second person.',
      },
    );
  }
  if (!actor.protected) {
    // Without a passphrase anyone could sign in as this approver, and "approved by someone else" would mean nothing.
    throw new UserError(`${actor.name} has no passphrase: approvers need one`, {
      code: 'passphrase-required',
      where,
      hint: 'Set a passphrase from the user menu in the top bar, then approve.',
    });
  }
  if (checks === null) {
    throw new UserError(`Version ${version.version} has not been checked`, {
      code: 'template-unchecked',
      where,
      hint: 'Run the checks before approving.',
    });
  }
  if (!checks.passed) {
    const failed = (['render', 'budget', 'leakage', 'target'] as const)
      .filter((k) => checks[k]?.outcome === 'failed')
      .map((k) => CHECK_NAMES[k]);
    throw new UserError(`Version ${version.version} failed its checks (${failed.join(', ')})`, {
      code: 'template-checks-failed',
      where,
      hint: 'Fix the template and save a new version, or run the checks again.',
    });
  }
}

export const CHECK_NAMES = {
  render: 'renders every validation row',
  budget: 'context budget',
  leakage: 'prompt-leakage probe',
  target: 'target leakage',
} as const;
