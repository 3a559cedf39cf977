// Context cost per component: the prompts of some rows rendered three ways (the input alone, with the template, with
// the template and its demonstrations) and counted by the engine's tokenizer as generate would encode them; the
// differences are what the template and the demonstrations add, and the soft prompt adds its virtual tokens.
import type { ContextCost } from '../../../shared/contract/experiments';
import type { EngineClient } from '../../engine/client';
import { promptsFor, type ResolvedSpecialization } from '../specializations';
import type { RowRoles } from '../templates';
import type { Example } from './examples';

export async function measureContextCost(
  r: ResolvedSpecialization,
  examples: readonly Example[],
  roles: RowRoles,
  engine: EngineClient,
): Promise<ContextCost> {
  const rows = examples.map((e) => ({ row: e.data, where: `row ${e.key}` }));
  const count = async (variant: ResolvedSpecialization): Promise<number[]> => {
    const prompts = (await promptsFor(variant, rows, roles)).map((p) => p.prompt);
    const model = { folder: r.model.folder, contentHash: r.model.contentHash };
    return (await engine.request('countTokens', { model, prompts })).counts;
  };
  const noDemonstrations = { ...r, examplesFor: () => [] };
  const full = await count(r);
  const withTemplate = r.spec.demonstrationSetVersionId === null ? full : await count(noDemonstrations);
  const bare = r.template === null ? withTemplate : await count({ ...noDemonstrations, template: null });
  const input = mean(bare);
  const template = mean(withTemplate) - input;
  const demonstrations = mean(full) - mean(withTemplate);
  return {
    specializationId: r.spec.id,
    rows: examples.length,
    input,
    template,
    demonstrations,
    softPrompt: r.softPromptTokens,
    meanTotal: input + template + demonstrations + r.softPromptTokens,
    longest: full.reduce((m, v) => Math.max(m, v), 0) + r.softPromptTokens,
  };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, v) => s + v, 0) / xs.length;
}
