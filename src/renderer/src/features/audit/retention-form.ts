// The retention policy as typed in the Audit section: one text box per kind, blank meaning "kept for ever".
import type { RetentionPolicy } from '../../../../shared/contract';

export type PolicyDraft = { [K in keyof RetentionPolicy]: string };

export const RETENTION_LABELS: Record<keyof RetentionPolicy, string> = {
  outputsDays: 'Outputs (days)',
  reviewCommentDays: 'Review comments (days)',
  datasetRowDays: 'Dataset rows (days)',
};

export function policyToDraft(policy: RetentionPolicy): PolicyDraft {
  const text = (days: number | null): string => (days === null ? '' : String(days));
  return {
    outputsDays: text(policy.outputsDays),
    reviewCommentDays: text(policy.reviewCommentDays),
    datasetRowDays: text(policy.datasetRowDays),
  };
}

/** The policy, or a sentence naming the first box that is not a whole number of days from 1 to 36,500. */
export function policyFromDraft(draft: PolicyDraft): RetentionPolicy | string {
  const policy: Partial<Record<keyof RetentionPolicy, number | null>> = {};
  for (const key of Object.keys(RETENTION_LABELS) as (keyof RetentionPolicy)[]) {
    const text = draft[key].trim();
    if (text === '') {
      policy[key] = null;
      continue;
    }
    const days = Number(text);
    if (!/^\d+$/.test(text) || days < 1 || days > 36_500)
      return `${RETENTION_LABELS[key]}: a whole number of days from 1 to 36,500, or blank to keep for ever`;
    policy[key] = days;
  }
  return policy as RetentionPolicy;
}
