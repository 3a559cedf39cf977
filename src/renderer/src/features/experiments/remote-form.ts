// "Run on a server" in the New experiment dialog (pure): the draft, the model name each cell gets by default (vLLM:
// the --lora-modules name of a release with the cell's LoRA, or the served base; a Dovetail endpoint: the release's
// name@version), what is wrong with each cell before anything is sent, and the contract's `remote`.
import type { CreateSpecializationIn, Release, Specialization } from '../../../../shared/contract';
import {
  RemoteEngineSpec,
  vllmModelName,
  type REMOTE_KINDS,
  type RemoteEngineSpecIn,
  type RemoteIdentity,
} from '../../../../shared/remote-engine';

export type RemoteKind = (typeof REMOTE_KINDS)[number];

export interface RemoteDraft {
  readonly runOn: 'local' | 'server';
  readonly kind: RemoteKind;
  readonly baseUrl: string;
  /** '' = the server needs no key. */
  readonly apiKeyEnv: string;
  /** The server's model name per specialization id, as typed or filled in. */
  readonly models: Readonly<Record<string, string>>;
}

export function emptyRemote(): RemoteDraft {
  return { runOn: 'local', kind: 'vllm', baseUrl: '', apiKeyEnv: '', models: {} };
}

type Served = RemoteIdentity['models'];

/** The model name a cell most likely has on the server, or null when nothing suggests one. */
export function suggestedModel(
  kind: RemoteKind,
  cell: Specialization,
  releases: readonly Release[],
  specializations: readonly Specialization[],
  served: Served | null,
): string | null {
  const newest = [...releases].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  let names: string[] = [];
  if (kind === 'vllm') {
    // vLLM serves a LoRA by the name its command gave it; any release with this cell's LoRA on this model names it.
    if (cell.loraAdapterId === null) names = (served ?? []).filter((m) => m.parent === null).map((m) => m.id);
    else
      names = newest
        .filter((r) => {
          const s = specializations.find((x) => x.id === r.specializationId);
          return s?.loraAdapterId === cell.loraAdapterId && s.modelId === cell.modelId;
        })
        .map((r) => vllmModelName(r.name, r.version));
  } else if (kind === 'dovetail') {
    // An endpoint serves each release (the whole specialization) as name@version.
    names = newest
      .filter((r) => r.specializationId === cell.id || r.specializationHash === cell.hash)
      .map((r) => `${r.name}@${r.version}`);
  }
  if (served === null) return names[0] ?? null;
  return names.find((n) => served.some((m) => m.id === n)) ?? names[0] ?? null;
}

/** The draft with each cell that has no model name yet given its suggestion (typed names are kept). */
export function filledModels(
  draft: RemoteDraft,
  cells: readonly Specialization[],
  releases: readonly Release[],
  specializations: readonly Specialization[],
  served: Served | null,
): RemoteDraft {
  const models = { ...draft.models };
  let changed = false;
  for (const cell of cells) {
    if ((models[cell.id] ?? '').trim() !== '') continue;
    const name = suggestedModel(draft.kind, cell, releases, specializations, served);
    if (name === null) continue;
    models[cell.id] = name;
    changed = true;
  }
  return changed ? { ...draft, models } : draft;
}

export type CellProblem =
  | { readonly kind: 'soft-prompt'; readonly text: string; readonly hasLora: boolean }
  | { readonly kind: 'model'; readonly text: string };

/** What stops a cell from running on the server, said before the experiment is created; null when nothing. */
export function cellProblem(draft: RemoteDraft, cell: Specialization, served: Served | null): CellProblem | null {
  if (draft.kind === 'vllm' && cell.softPromptAdapterId !== null)
    return {
      kind: 'soft-prompt',
      hasLora: cell.loraAdapterId !== null,
      text:
        cell.loraAdapterId === null
          ? `"${cell.name}" is a soft prompt without a LoRA: vLLM cannot serve soft prompts. Run it on this computer or a Dovetail endpoint.`
          : `"${cell.name}" has a soft prompt, which vLLM cannot serve. Evaluate its LoRA-only variant on vLLM instead.`,
    };
  const name = (draft.models[cell.id] ?? '').trim();
  if (name === '') return { kind: 'model', text: 'Name the model this cell has on the server' };
  if (served !== null && !served.some((m) => m.id === name))
    return {
      kind: 'model',
      text: `The server does not serve "${name}". It serves: ${served.map((m) => m.id).join(', ') || 'nothing'}.`,
    };
  return null;
}

/** The same specialization without its soft prompt: what vLLM can serve of it. */
export function loraOnlyVariant(s: Specialization): CreateSpecializationIn {
  return {
    name: `${s.name} (LoRA only)`.slice(0, 120),
    modelId: s.modelId,
    loraAdapterId: s.loraAdapterId,
    softPromptAdapterId: null,
    templateVersionId: s.templateVersionId,
    demonstrationSetVersionId: s.demonstrationSetVersionId,
    decoding: s.decoding,
  };
}

/** The contract's `remote` for these cells (none when run locally), or what is wrong with the draft. */
export function toRemoteSpec(
  draft: RemoteDraft,
  design: 'compare' | 'ablation',
  cellIds: readonly string[],
): { remote: RemoteEngineSpecIn | undefined } | { error: string } {
  if (draft.runOn === 'local') return { remote: undefined };
  if (design === 'ablation')
    return {
      error:
        'An ablation runs on this computer only (its cells are made when it is created); compare specializations to run them on a server',
    };
  const models: Record<string, string> = {};
  for (const id of cellIds) {
    const name = (draft.models[id] ?? '').trim();
    if (name === '') return { error: 'Name the model of every cell on the server' };
    models[id] = name;
  }
  const remote: RemoteEngineSpecIn = {
    kind: draft.kind,
    baseUrl: draft.baseUrl.trim(),
    apiKeyEnv: draft.apiKeyEnv.trim() === '' ? null : draft.apiKeyEnv.trim(),
    models,
  };
  const parsed = RemoteEngineSpec.safeParse(remote);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'apiKeyEnv' ? 'API key variable' : issue?.path[0] === 'baseUrl' ? 'Base URL' : '';
    return { error: `${field ? `${field}: ` : ''}${issue?.message ?? 'Not valid'}` };
  }
  return { remote };
}
