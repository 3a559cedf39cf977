// Talks to an OpenAI-compatible server through the official `openai` client: the server's identity (model list and
// version) and streamed text completions, timed as the local engine times its rows (time to first token, total,
// tokens per second). The prompt is rendered here, so the server applies no template of its own.
import OpenAI from 'openai';
import type { DecodingSettings } from '../../../shared/decoding-settings';
import { UserError } from '../../../shared/errors';
import type { RemoteEngineSpec, RemoteIdentity } from '../../../shared/remote-engine';

/** A prompt as the specialization renders it: chat messages, raw text, or token ids (completions take them too). */
export type RemotePrompt =
  | { mode: 'chat'; messages: { role: string; content: string }[] }
  | { mode: 'raw'; text: string }
  | { mode: 'ids'; ids: number[] };

export interface RemoteRow {
  text: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number | null;
  totalMs: number;
  tokensPerSecond: number;
}

export class RemoteClient {
  private readonly client: OpenAI;

  constructor(
    private readonly spec: RemoteEngineSpec,
    env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly clock: () => number = () => performance.now(),
  ) {
    const key = spec.apiKeyEnv === null ? undefined : env[spec.apiKeyEnv];
    if (spec.apiKeyEnv !== null && !key)
      throw new UserError(`The environment variable ${spec.apiKeyEnv} that holds the server's API key is not set.`, {
        code: 'remote-key',
        where: 'remote.apiKeyEnv',
        hint: `Set ${spec.apiKeyEnv} before starting Dovetail, or clear the key name if the server needs none.`,
      });
    // The client refuses to start without a key; a server that needs none ignores this placeholder.
    this.client = new OpenAI({ baseURL: spec.baseUrl, apiKey: key ?? 'none', maxRetries: 1, timeout: 600_000 });
  }

  /** GET /v1/models, and vLLM's /version (else the Server header): refused when a cell's model is not served. */
  async identify(now: string): Promise<RemoteIdentity> {
    const listed = await this.call('list the models', async () => {
      const page = await this.client.models.list().withResponse();
      return { models: page.data.data, server: page.response.headers.get('server') };
    });
    const models = listed.models.map((m) => {
      const extra = m as unknown as { parent?: unknown; owned_by?: unknown };
      return {
        id: m.id,
        parent: typeof extra.parent === 'string' ? extra.parent : null,
        ownedBy: typeof extra.owned_by === 'string' ? extra.owned_by : null,
      };
    });
    const missing = Object.values(this.spec.models).filter((name) => !models.some((m) => m.id === name));
    if (missing.length > 0)
      throw new UserError(`The server at ${this.spec.baseUrl} does not serve ${missing.join(', ')}.`, {
        code: 'remote-model',
        where: 'remote.models',
        hint: `It serves: ${models.map((m) => m.id).join(', ') || 'nothing'}. For vLLM, name each LoRA with --lora-modules name=path.`,
      });
    return {
      kind: this.spec.kind,
      baseUrl: this.spec.baseUrl,
      models,
      version: (await this.version()) ?? listed.server,
      checkedAt: now,
    };
  }

  /** One streamed completion per prompt, in order (a server batches concurrent requests itself). */
  async complete(model: string, prompts: readonly RemotePrompt[], d: DecodingSettings, signal: AbortSignal) {
    return Promise.all(prompts.map((prompt) => this.completeOne(model, prompt, d, signal)));
  }

  private async completeOne(model: string, prompt: RemotePrompt, d: DecodingSettings, signal: AbortSignal) {
    const started = this.clock();
    let first: number | null = null;
    let text = '';
    let finish: string | null = null;
    let usage: { prompt_tokens: number; completion_tokens: number } | null = null;
    await this.call(`generate with ${model}`, async () => {
      const common = {
        model,
        max_tokens: d.max_new_tokens,
        temperature: d.do_sample ? d.temperature : 0,
        top_p: d.do_sample ? d.top_p : 1,
        ...(d.seed === undefined ? {} : { seed: d.seed }),
        ...(d.stop_strings && d.stop_strings.length > 0 ? { stop: d.stop_strings.slice(0, 4) } : {}),
        stream: true as const,
        stream_options: { include_usage: true },
      };
      const take = (
        piece: string | null | undefined,
        reason: string | null | undefined,
        u: typeof usage | undefined,
      ) => {
        if (piece) {
          first ??= this.clock();
          text += piece;
        }
        if (reason) finish = reason;
        if (u) usage = u;
      };
      if (prompt.mode === 'chat') {
        const messages = prompt.messages.map((m) => ({ role: m.role as 'user', content: m.content }));
        const stream = await this.client.chat.completions.create({ ...common, messages }, { signal });
        for await (const c of stream) take(c.choices[0]?.delta.content, c.choices[0]?.finish_reason, c.usage);
      } else {
        const input = prompt.mode === 'raw' ? prompt.text : prompt.ids;
        const stream = await this.client.completions.create({ ...common, prompt: input }, { signal });
        for await (const c of stream) take(c.choices[0]?.text, c.choices[0]?.finish_reason, c.usage);
      }
    });
    const totalMs = this.clock() - started;
    const generated = (usage as { completion_tokens: number } | null)?.completion_tokens ?? 0;
    return {
      text,
      finishReason: finish === 'length' ? 'length' : 'stop',
      promptTokens: (usage as { prompt_tokens: number } | null)?.prompt_tokens ?? 0,
      generatedTokens: generated,
      timeToFirstTokenMs: first === null ? null : first - started,
      totalMs,
      tokensPerSecond: totalMs > 0 ? (generated * 1000) / totalMs : 0,
    } satisfies RemoteRow;
  }

  private async version(): Promise<string | null> {
    try {
      const response = await fetch(`${this.spec.baseUrl.replace(/\/v1$/, '')}/version`, {
        signal: AbortSignal.timeout(10_000),
      });
      const body = response.ok ? ((await response.json()) as { version?: unknown }) : {};
      return typeof body.version === 'string' ? `vLLM ${body.version}` : null;
    } catch {
      return null; // not vLLM (Dovetail's endpoint and others have no /version)
    }
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (error instanceof OpenAI.APIUserAbortError) throw error;
      const status = error instanceof OpenAI.APIError ? ` (HTTP ${error.status ?? 'no answer'})` : '';
      throw new UserError(`The server at ${this.spec.baseUrl} could not ${what}${status}: ${messageOf(error)}`, {
        code: 'remote-call',
        where: 'remote.baseUrl',
        hint: 'Check that the server runs and is reachable, the URL ends in /v1, and the API key is right.',
        cause: error,
      });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
