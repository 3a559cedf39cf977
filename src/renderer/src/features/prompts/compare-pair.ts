// Which two template versions "Compare" opens (pure): the two ticked, or with fewer ticked the one ticked and the
// newest other, or the two newest; with a single version there is nothing to compare, and the reason says so.
import type { TemplateVersion } from '../../../../shared/contract';

export type ComparePlan =
  | { readonly ok: true; readonly original: TemplateVersion; readonly modified: TemplateVersion }
  | { readonly ok: false; readonly reason: string };

/** versions: newest first (as templates.versions gives them); ticked: ids in the order ticked. */
export function comparePlan(versions: readonly TemplateVersion[], ticked: readonly string[]): ComparePlan {
  if (versions.length < 2)
    return { ok: false, reason: 'Save a second version of this template to compare two versions.' };
  const chosen = versions.filter((v) => ticked.includes(v.id));
  const others = versions.filter((v) => !ticked.includes(v.id));
  const pair = [...chosen, ...others].slice(0, 2).sort((a, b) => a.version - b.version);
  // Older on the left, newer on the right.
  return { ok: true, original: pair[0]!, modified: pair[1]! };
}
