// A specialization's parts made concrete for generation: the model record, the compiled template, the demonstration
// rows, the adapter folders (with the part each gives) and the soft prompt's length; and the prompt of one row.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { ModelRecord } from '../../../shared/contract/models';
import type { Specialization } from '../../../shared/contract/specializations';
import type { DecodingOverrides } from '../../../shared/decoding-settings';
import { UserError } from '../../../shared/errors';
import type { AdapterFolderRef, GenerationPrompt } from '../../engine/generation-protocol';
import type { CompiledTemplate, RenderedRow, RowRoles, TemplatesService } from '../templates';

export interface ResolvedSpecialization {
  spec: Specialization;
  model: ModelRecord;
  template: CompiledTemplate | null;
  /** The demonstration rows for one input (a fixed set: the same rows; random-k and similar-k: chosen per input). */
  examplesFor: (row: Record<string, unknown>) => Record<string, unknown>[];
  adapterFolders: AdapterFolderRef[];
  /** Virtual tokens the soft prompt adds to every call (0 without one). */
  softPromptTokens: number;
  decoding: DecodingOverrides;
  /** Renders rows through the templates service (the render worker, batched). */
  render: TemplatesService['render'];
}

export interface ResolveDeps {
  readonly models: { usableModel(id: string): Promise<ModelRecord> };
  readonly adapters: { record(id: string): AdapterRecord; contentHash(id: string): Promise<string> };
  readonly templates: Pick<TemplatesService, 'compiled' | 'demonstrationRows' | 'demonstrationSetVersion' | 'render'>;
}

export async function resolveSpecialization(spec: Specialization, deps: ResolveDeps): Promise<ResolvedSpecialization> {
  const model = await deps.models.usableModel(spec.modelId);
  const folders = new Map<string, AdapterFolderRef>();
  let softPromptTokens = 0;
  if (spec.loraAdapterId !== null) {
    const a = deps.adapters.record(spec.loraAdapterId);
    folders.set(a.id, {
      folder: a.folder,
      lora: true,
      softPrompt: false,
      baseContentHash: model.contentHash,
      contentHash: await deps.adapters.contentHash(a.id),
    });
  }
  if (spec.softPromptAdapterId !== null) {
    const a = deps.adapters.record(spec.softPromptAdapterId);
    const same = folders.get(a.id);
    folders.set(a.id, {
      folder: a.folder,
      lora: same?.lora ?? false,
      softPrompt: true,
      baseContentHash: model.contentHash,
      contentHash: await deps.adapters.contentHash(a.id),
    });
    softPromptTokens = await virtualTokens(a);
  }
  const setId = spec.demonstrationSetVersionId;
  const set = setId === null ? null : deps.templates.demonstrationSetVersion(setId);
  // A fixed set is resolved once; the others depend on the input.
  const fixed = set !== null && set.selection.kind === 'fixed' ? deps.templates.demonstrationRows(set.id) : null;
  return {
    spec,
    model,
    template: spec.templateVersionId === null ? null : deps.templates.compiled(spec.templateVersionId),
    examplesFor: (row) => (set === null ? [] : (fixed ?? deps.templates.demonstrationRows(set.id, row))),
    adapterFolders: [...folders.values()],
    softPromptTokens,
    decoding: spec.decoding,
    render: (compiled, roles, items, options) => deps.templates.render(compiled, roles, items, options),
  };
}

export interface RowPrompt {
  prompt: GenerationPrompt;
  rendered: RenderedRow;
}

/**
 * The generation prompts of rows (one render batch): the rendered text as raw completion, or as a user turn of the
 * chat template. The first row that fails to render throws its UserError.
 */
export async function promptsFor(
  r: ResolvedSpecialization,
  rows: readonly { row: Record<string, unknown>; where: string }[],
  roles: RowRoles,
  signal?: AbortSignal,
): Promise<RowPrompt[]> {
  const items = rows.map(({ row, where }) => ({ row, examples: r.examplesFor(row), where }));
  const outcomes = await r.render(r.template, roles, items, { stopOnError: true, ...(signal ? { signal } : {}) });
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    const rendered = outcome.rendered;
    if (!rendered.chat) return { prompt: { mode: 'raw', text: rendered.text }, rendered };
    const messages = [
      ...(rendered.system ? [{ role: 'system', content: rendered.system }] : []),
      { role: 'user', content: rendered.text },
    ];
    return { prompt: { mode: 'chat', messages }, rendered };
  });
}

/** The generation prompt of one row. */
export async function promptFor(
  r: ResolvedSpecialization,
  row: Record<string, unknown>,
  roles: RowRoles,
  where: string,
): Promise<RowPrompt> {
  const [one] = await promptsFor(r, [{ row, where }], roles);
  return one!;
}

async function virtualTokens(a: AdapterRecord): Promise<number> {
  const configs =
    a.method === 'both'
      ? [join(a.folder, 'prompt_tuning', 'adapter_config.json')]
      : [join(a.folder, 'adapter_config.json')];
  for (const path of configs) {
    try {
      const n = (JSON.parse(await readFile(path, 'utf8')) as { num_virtual_tokens?: unknown }).num_virtual_tokens;
      if (typeof n === 'number') return n;
    } catch (error) {
      throw new UserError(`Cannot read the soft prompt's configuration of adapter "${a.name}"`, {
        code: 'adapter-missing',
        where: path,
        hint: 'The adapter folder may have been moved or deleted; import it again.',
        cause: error,
      });
    }
  }
  return 0;
}
