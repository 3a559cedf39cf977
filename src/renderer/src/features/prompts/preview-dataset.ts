// Which dataset version the preview shows for a template (pure): the one the user chose for it, else one whose fields
// fit what the template reads (the last one chosen when it fits, else the first in the list that lacks the fewest),
// so that a template opens on data it can render.
import { checkFields, type DatasetShape } from './template-text';

export interface DatasetCandidate {
  readonly versionId: string;
  readonly shape: Pick<DatasetShape, 'fields' | 'roles'>;
}

export interface PreviewChoice {
  /** Chosen by the user, by template id ('new' for a template not saved yet). */
  readonly byTemplate: Readonly<Record<string, string>>;
  /** The version chosen last, for any template. */
  readonly last: string | null;
}

/**
 * templateFields: what the template reads (null for a new template, which follows the dataset instead);
 * known: the version ids offered; candidates: the versions whose fields are known, in the order offered.
 */
export function previewDataset(
  templateKey: string,
  templateFields: readonly string[] | null,
  choice: PreviewChoice,
  known: readonly string[],
  candidates: readonly DatasetCandidate[],
): string | null {
  const mine = choice.byTemplate[templateKey];
  if (mine !== undefined && known.includes(mine)) return mine;
  const last = choice.last !== null && known.includes(choice.last) ? choice.last : null;
  if (templateFields === null) return last ?? known[0] ?? null;
  const missing = (c: DatasetCandidate) => checkFields(templateFields, c.shape).missing.length;
  const lastCandidate = candidates.find((c) => c.versionId === last);
  if (lastCandidate && missing(lastCandidate) === 0) return lastCandidate.versionId;
  let best: DatasetCandidate | null = null;
  for (const c of candidates) if (best === null || missing(c) < missing(best)) best = c;
  return best?.versionId ?? last ?? known[0] ?? null;
}
