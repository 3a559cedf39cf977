// What a Hub repo holds at a revision, through @huggingface/hub (model info for the commit and gating, the file tree
// with sizes and checksums) on a fetch that goes through the proxy setting; the Hub's refusals become UserErrors that
// say what to do. The files a checkpoint needs are chosen here; downloading them is ranged-download.ts.
import { HubApiError, listFiles, modelInfo } from '@huggingface/hub';
import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { UserError } from '../../../shared/errors';

export interface HubConnection {
  readonly endpoint: string;
  readonly token: string | null;
  readonly fetch: typeof fetch;
}

/** One file to download, with what its content must hash to. */
export interface RemoteFile {
  readonly path: string;
  readonly size: number;
  /** LFS files: the sha256 of the content. */
  readonly sha256: string | null;
  /** Other files: the git blob id (sha1 over "blob <size>\0" + content). */
  readonly gitOid: string | null;
}

export interface RepoSnapshot {
  readonly commit: string;
  readonly files: readonly RemoteFile[];
}

/** A fetch whose connections go through `proxy` ('' = directly); undici's, so a proxy needs no global state. */
export function hubFetch(proxy: string): { fetch: typeof fetch; close: () => Promise<void> } {
  const dispatcher: Dispatcher = proxy === '' ? new Agent() : new ProxyAgent(proxy);
  const run = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    });
  return { fetch: run as unknown as typeof fetch, close: () => dispatcher.close() };
}

/** Files of a checkpoint folder Dovetail reads (the engine's loader), at the repo's top level. */
const NEEDED = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'tokenizer.model',
  'vocab.json',
  'merges.txt',
  'chat_template.jinja',
  'chat_template.json',
  'model.safetensors.index.json',
]);

/** The files to download from a repo's tree: configs, tokenizer, and the transformers safetensors weights only. */
export function chooseFiles(tree: readonly RemoteFile[], repo: string): RemoteFile[] {
  const top = tree.filter((f) => !f.path.includes('/'));
  const weights = top.filter((f) => f.path.endsWith('.safetensors'));
  // transformers' names (model.safetensors, model-00001-of-00002.safetensors); others (consolidated.safetensors,
  // adapters) are other tools' copies of the same weights.
  const model = weights.filter((f) => /^model(-\d+-of-\d+)?\.safetensors$/.test(f.path));
  const chosen = [...top.filter((f) => NEEDED.has(f.path)), ...(model.length > 0 ? model : weights)];
  if (!chosen.some((f) => f.path === 'config.json'))
    throw new UserError(`${repo} has no config.json at its top level: it is not a transformers checkpoint.`, {
      where: repo,
      hint: 'Choose the repo of the model itself (not a GGUF, ONNX or adapter-only repo).',
      code: 'hub-not-a-checkpoint',
    });
  if (weights.length === 0)
    throw new UserError(`${repo} has no .safetensors weights.`, {
      where: repo,
      hint: 'Dovetail reads safetensors only; choose a repo that publishes them (most do, some under another revision).',
      code: 'hub-no-safetensors',
    });
  return chosen.sort((a, b) => a.size - b.size || a.path.localeCompare(b.path));
}

/** The commit a revision points at and the files to download there. */
export async function snapshot(hub: HubConnection, repo: string, revision: string): Promise<RepoSnapshot> {
  const credentials = hub.token === null ? {} : { accessToken: hub.token };
  const common = { hubUrl: hub.endpoint, fetch: hub.fetch, ...credentials };
  const info = await asUserError(repo, revision, hub, () =>
    modelInfo({ name: repo, revision, additionalFields: ['sha'], ...common }),
  );
  const commit = info.sha;
  if (typeof commit !== 'string' || !/^[0-9a-f]{40}$/.test(commit))
    throw new UserError(`The Hub did not name the commit of ${repo} at ${revision}.`, {
      where: `${hub.endpoint} ${repo}`,
      hint: 'Check the Hub address in Settings: it should be the Hub itself or a mirror of it.',
      code: 'hub-bad-answer',
    });
  const tree: RemoteFile[] = [];
  await asUserError(repo, revision, hub, async () => {
    for await (const entry of listFiles({
      repo: { type: 'model', name: repo },
      revision: commit,
      recursive: true,
      ...common,
    })) {
      if (entry.type !== 'file') continue;
      tree.push({
        path: entry.path,
        size: entry.lfs?.size ?? entry.size,
        sha256: entry.lfs?.oid ?? null,
        gitOid: entry.lfs ? null : (entry.oid ?? null),
      });
    }
  });
  return { commit, files: chooseFiles(tree, repo) };
}

/** The Hub's answer as something a person can act on. */
export function hubError(error: unknown, repo: string, revision: string, hub: HubConnection): unknown {
  if (error instanceof UserError) return error;
  if (error instanceof HubApiError) {
    const where = `${hub.endpoint}/${repo}`;
    if (error.statusCode === 401 || error.statusCode === 403)
      return hub.token === null
        ? new UserError(`${repo} is gated or private: the Hub serves it only with an access token.`, {
            where,
            hint: "Accept the model's licence on its Hub page, then set an access token in Settings (Hugging Face Hub).",
            code: 'hub-unauthorized',
          })
        : new UserError(`The Hub refused the access token for ${repo}.`, {
            where,
            hint: "Accept the model's licence on its Hub page with the token's account, and check the token can read.",
            code: 'hub-unauthorized',
          });
    if (error.statusCode === 404)
      return new UserError(`${repo} at revision ${revision} was not found on the Hub.`, {
        where,
        hint: 'Check the repo id (owner/name, as on its Hub page) and the revision (a branch, tag or commit).',
        code: 'hub-not-found',
      });
    if (error.statusCode === 429)
      return new UserError('The Hub asks to slow down (too many requests).', {
        where,
        hint: 'Wait a minute, then resume; an access token raises the limit.',
        code: 'hub-rate-limited',
      });
    return new UserError(`The Hub answered ${error.statusCode} for ${repo}.`, {
      where,
      hint: 'Try again later; resume continues from what was downloaded.',
      code: 'hub-error',
    });
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return unreachable(hub, error);
  return error;
}

export function unreachable(hub: HubConnection, cause: unknown): UserError {
  return new UserError(`Cannot reach the Hub at ${hub.endpoint}.`, {
    where: hub.endpoint,
    hint: 'Check the network connection and the proxy in Settings; resume continues from what was downloaded.',
    code: 'hub-unreachable',
    cause,
  });
}

async function asUserError<T>(repo: string, revision: string, hub: HubConnection, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw hubError(error, repo, revision, hub);
  }
}
