// What of a review round leaves the app when it is shared (the inputs and both outputs of every unit) or exported
// (also the reviewers' comments), as rows for the personal-data check.
import type { StoredRound } from './review-store';

export interface PrivacyRow {
  readonly idx: number;
  readonly key: string;
  readonly data: Record<string, unknown>;
}

/** Checks rows before `moment`: a warning to pass on, or a throw when the workspace's policy blocks. */
export type RoundPrivacyCheck = (
  moment: 'share' | 'export',
  subject: string,
  rows: Iterable<PrivacyRow>,
) => Promise<string | null>;

export function* sharedRows(round: StoredRound): Generator<PrivacyRow> {
  for (const [idx, unit] of round.plan.units.entries()) {
    yield {
      idx,
      key: unit.key,
      data: { ...unit.input, output_a: unit.textA, ...(unit.textB === null ? {} : { output_b: unit.textB }) },
    };
  }
}

export function* exportedRows(round: StoredRound, comments: readonly string[]): Generator<PrivacyRow> {
  yield* sharedRows(round);
  for (const [idx, comment] of comments.entries())
    if (comment !== '') yield { idx, key: `comment-${idx}`, data: { comment } };
}
