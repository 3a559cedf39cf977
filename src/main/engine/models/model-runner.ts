// Runs a loaded checkpoint: builds its inference graph once, gets the session from the SessionCache (keyed by content
// hash and graph kind), and offers a full-sequence forward (scoring) and a KV-cache step for generate(), for one
// specialization or one per row; a quantized model's prompts go to an int8 prefill session of the same kind.
import { BugError } from '../../../shared/errors';
import type { WeightFormat } from '../../../shared/weight-format';
import type { Int64Tensor } from '../generate';
import { positionIds as defaultPositionIds } from '../generate';
import { encodeModel, tensor, type Tensor } from '../graph';
import type { EngineSession, SessionCache } from '../runtime';
import { decomposedAttention, type AttentionBuilder } from './attention';
import type { DecoderModel } from './decoder-graph';
import {
  ATTENTION_MASK,
  buildInferenceGraph,
  INPUT_IDS,
  LOGITS,
  NUM_LOGITS_TO_KEEP,
  pastName,
  POSITION_IDS,
  SOFT_PROMPT,
} from './inference-graph';
import { loraFeeds, loraModules, type LoraAdapter, type LoraModule } from './lora';
import { KvStep } from './kv-step';
import { RowSoftPrompts, rowLoraFeeds } from './row-specializations';

/** What a run applies on top of the base model; both optional, and neither needs a new session. */
export interface Specialization {
  adapter?: LoraAdapter | null;
  /** [n, C] float32 virtual-token embeddings (PEFT prompt_embeddings). */
  softPrompt?: Tensor<'float32'> | null;
}

export interface ForwardInputs {
  inputIds: Int64Tensor; // [B, T]
  /** [B, T] over the tokens only (the runner adds the virtual tokens); default all ones. */
  attentionMask?: Int64Tensor;
  /** [B, T]; default cumsum(attention_mask) - 1 (padded positions 1). Virtual tokens are added by the runner. */
  positionIds?: Int64Tensor;
  /** Logits for the last k positions; 0 (default) = every position, virtual ones first (as PEFT returns them). */
  logitsToKeep?: number;
}

export interface RunnerModel extends DecoderModel {
  /** Checkpoint.contentHash: the session cache key. */
  contentHash: string;
  /** Checkpoint.folder, or a weight cache's folder: where the external data lives. */
  folder: string;
  /** The weights' precision (a weight cache's format); 'stored' when absent. Part of the session's graph kind. */
  weightFormat?: WeightFormat;
}

export interface RunnerOptions {
  /**
   * Also serve runs without adapter or soft prompt from a base-only session (no LoRA hooks, no soft_prompt input:
   * about 630 fewer nodes per step at 7 modules x 30 layers). It is created at open(); the hooked session then only
   * on the first run that needs it (until then a model that is only ever run plain holds one session). Default false:
   * one hooked session serves everything (rank-0 LoRA inputs for the base model).
   */
  baseSession?: boolean;
  /** The inference graph's attention (default DEFAULT_ATTENTION); benchmarks plug in their variants here. */
  attention?: AttentionBuilder;
}

/**
 * The app's attention: the decomposed form. The one-node variants (GroupQueryAttention, Attention-23) measured no
 * faster on the 2-core machine (decisions 0006, 0007) and live in bench/lib/attention-variants.ts.
 */
export const DEFAULT_ATTENTION: AttentionBuilder = decomposedAttention;

/** Which session a run needs: base-only, one adapter and soft prompt (hooked), or one per row. */
type SessionRole = 'base' | 'hooked' | 'rows';

export class ModelRunner {
  private hooked: Promise<EngineSession> | null;
  private perRow: Promise<EngineSession> | null = null;
  /** Prefill sessions by role, created on the first prefill (only when the weight cache has int8 copies). */
  private readonly prefills = new Map<SessionRole, Promise<EngineSession>>();
  /** Whether prefills and full-sequence forwards run a graph of their own on the weight cache's int8 copies. */
  readonly int8Prefill: boolean;

  private constructor(
    readonly model: RunnerModel,
    private readonly sessions: SessionCache,
    readonly loraTargets: readonly LoraModule[],
    readonly attention: AttentionBuilder,
    /** The base-only session, or null when spec-less runs use the hooked one. */
    private readonly base: EngineSession | null,
    hooked: EngineSession | null,
  ) {
    this.hooked = hooked ? Promise.resolve(hooked) : null;
    this.int8Prefill = [...(model.quantized?.linears.values() ?? [])].some((l) => l.int8 !== undefined);
  }

  /**
   * The graph kind (session cache key) for a LoRA target set; [] without soft prompt = the base-only kind; perRow =
   * the kind whose rows each carry their own adapter and soft prompt; prefill = the int8 prefill kind.
   */
  static kind(
    loraTargets: readonly LoraModule[],
    softPrompt: boolean,
    attention: AttentionBuilder,
    weights: WeightFormat = 'stored',
    perRow = false,
    prefill = false,
  ): string {
    return `inference${perRow ? '-rows' : ''};lora=${loraTargets.join(',')};${softPrompt ? 'soft_prompt;' : ''}cache=appended;attention=${attention.name};weights=${weights}${prefill ? ';prefill=int8' : ''}`;
  }

  /** Gets or creates the session(s); the cache owns them (release them there). */
  static async open(
    model: RunnerModel,
    sessions: SessionCache,
    loraTargets: readonly LoraModule[] = loraModules(model.config),
    options: RunnerOptions = {},
  ): Promise<ModelRunner> {
    const attention = options.attention ?? DEFAULT_ATTENTION;
    if (options.baseSession) {
      const base = await sessions.get(
        { model: model.contentHash, kind: ModelRunner.kind([], false, attention, model.weightFormat) },
        () => ({
          model: encodeModel(
            buildInferenceGraph(model, { loraTargets: [], softPrompt: false, cacheOutputs: 'appended', attention }),
          ),
          externalDataFolder: model.folder,
        }),
      );
      return new ModelRunner(model, sessions, loraTargets, attention, base, null);
    }
    return new ModelRunner(
      model,
      sessions,
      loraTargets,
      attention,
      null,
      await ModelRunner.hookedSession(model, sessions, loraTargets, attention),
    );
  }

  private static hookedSession(
    model: RunnerModel,
    sessions: SessionCache,
    loraTargets: readonly LoraModule[],
    attention: AttentionBuilder,
    perRow = false,
  ): Promise<EngineSession> {
    return sessions.get(
      { model: model.contentHash, kind: ModelRunner.kind(loraTargets, true, attention, model.weightFormat, perRow) },
      () => ({
        model: encodeModel(buildInferenceGraph(model, { loraTargets, cacheOutputs: 'appended', attention, perRow })),
        externalDataFolder: model.folder,
      }),
    );
  }

  /** Whether runs with this specialization go to the base-only session. */
  private plain(spec: Specialization): boolean {
    return this.base !== null && !spec.adapter && !spec.softPrompt;
  }

  /**
   * The int8 prefill session of a role, created on first use. Prefill graphs are the decode graphs with
   * DynamicQuantizeMatMul on the cache's int8 copies; the cache they fill is then read by the decode session.
   */
  private prefillSession(role: SessionRole): Promise<EngineSession> {
    let session = this.prefills.get(role);
    if (!session) {
      const { model, attention } = this;
      const loraTargets = role === 'base' ? [] : this.loraTargets;
      const [softPrompt, perRow] = [role !== 'base', role === 'rows'];
      session = this.sessions.get(
        {
          model: model.contentHash,
          kind: ModelRunner.kind(loraTargets, softPrompt, attention, model.weightFormat, perRow, true),
        },
        () => ({
          model: encodeModel(
            buildInferenceGraph(model, {
              loraTargets,
              softPrompt,
              cacheOutputs: 'appended',
              attention,
              perRow,
              prefill: true,
            }),
          ),
          externalDataFolder: model.folder,
        }),
      );
      session.catch(() => this.prefills.delete(role)); // a failed creation is retried next time
      this.prefills.set(role, session);
    }
    return session;
  }

  /**
   * @internal The session for a specialization (the hooked one is created on first use with baseSession); `prefill`:
   * a run of many positions from an empty cache, which goes to the int8 prefill session when there is one.
   */
  async sessionFor(spec: Specialization, prefill = false): Promise<EngineSession> {
    if (prefill && this.int8Prefill) return this.prefillSession(this.plain(spec) ? 'base' : 'hooked');
    if (this.plain(spec)) return this.base as EngineSession;
    if (!this.hooked) {
      this.hooked = ModelRunner.hookedSession(this.model, this.sessions, this.loraTargets, this.attention);
      this.hooked.catch(() => (this.hooked = null)); // a failed creation is retried next time
    }
    return this.hooked;
  }

  /** @internal The per-row session, created on the first batch whose rows differ (`prefill`: as in sessionFor). */
  rowSession(prefill = false): Promise<EngineSession> {
    if (prefill && this.int8Prefill) return this.prefillSession('rows');
    if (!this.perRow) {
      this.perRow = ModelRunner.hookedSession(this.model, this.sessions, this.loraTargets, this.attention, true);
      this.perRow.catch(() => (this.perRow = null)); // a failed creation is retried next time
    }
    return this.perRow;
  }

  /** Full-sequence forward with an empty cache: logits [B, k, V] (k = logitsToKeep, or n + T). */
  async forward(inputs: ForwardInputs, spec: Specialization = {}): Promise<Tensor<'float32'>> {
    const [batch, length] = inputs.inputIds.dims;
    const mask = inputs.attentionMask ?? { data: new BigInt64Array(batch * length).fill(1n), dims: [batch, length] };
    const positions = inputs.positionIds ?? defaultPositionIds(mask, length);
    const n = spec.softPrompt?.dims[0] ?? 0;
    const plain = this.plain(spec);
    const feeds = {
      ...(plain ? {} : this.specFeeds(spec)),
      ...this.tokenFeeds(inputs.inputIds, mask, positions, n, true, spec.softPrompt ?? null, !plain),
      ...this.emptyPast(batch),
      [NUM_LOGITS_TO_KEEP]: tensor('int64', [], BigInt64Array.of(BigInt(inputs.logitsToKeep ?? 0))),
    };
    const out = await (await this.sessionFor(spec, true)).run(feeds, [LOGITS]);
    return out[LOGITS] as Tensor<'float32'>;
  }

  /**
   * A KV-cache step function for generate(): step 0 is the prefill (with the soft prompt, if any), later steps feed
   * one token per row and the cache of the previous step. One KvStep serves one generate() call at a time. Given one
   * specialization per row [B], rows that share one adapter and soft prompt run as one specialization; rows that
   * differ run on the per-row session, each with its own.
   */
  createStep(spec: Specialization | readonly Specialization[] = {}): KvStep {
    if (Array.isArray(spec)) return this.createRowStep(spec as readonly Specialization[]);
    const one = spec as Specialization;
    const plain = this.plain(one);
    const soft = one.softPrompt ?? null;
    const n = soft?.dims[0] ?? 0;
    return new KvStep(
      this,
      plain ? {} : this.specFeeds(one),
      {
        virtual: n,
        feeds: (ids, mask, positions, first) => this.tokenFeeds(ids, mask, positions, n, first, soft, !plain),
      },
      (first) => this.sessionFor(one, first),
    );
  }

  private createRowStep(specs: readonly Specialization[]): KvStep {
    const first = specs[0] ?? {};
    const same = specs.every(
      (s) => (s.adapter ?? null) === (first.adapter ?? null) && (s.softPrompt ?? null) === (first.softPrompt ?? null),
    );
    if (same) return this.createStep(first);
    for (const s of specs) this.checkSpec(s);
    const adapters = specs.map((s) => s.adapter ?? null);
    return new KvStep(
      this,
      rowLoraFeeds(this.model.config, this.loraTargets, adapters),
      new RowSoftPrompts(
        specs.map((s) => s.softPrompt ?? null),
        this.model.config.hidden_size,
      ),
      (first) => this.rowSession(first),
    );
  }

  /** @internal LoRA inputs (rank 0 where the adapter has no module). */
  specFeeds(spec: Specialization): Record<string, Tensor> {
    this.checkSpec(spec);
    return loraFeeds(this.model.config, this.loraTargets, spec.adapter ?? null);
  }

  /** A soft prompt of [n, C] and LoRA modules the session has inputs for. */
  private checkSpec(spec: Specialization): void {
    const C = this.model.config.hidden_size;
    const soft = spec.softPrompt;
    if (soft && (soft.dims.length !== 2 || soft.dims[1] !== C)) {
      throw new BugError(`soft prompt is [${soft.dims.join(', ')}], the model needs [n, ${C}]`);
    }
    const missing = (spec.adapter?.layers ?? []).flatMap((l) =>
      Object.keys(l).filter((m) => !this.loraTargets.includes(m as LoraModule)),
    );
    if (missing.length > 0)
      throw new BugError(`the session has no LoRA inputs for ${[...new Set(missing)].join(', ')}`);
  }

  /** @internal input_ids, attention_mask (virtual tokens first), position_ids (+n), soft_prompt if in the graph. */
  tokenFeeds(
    ids: Int64Tensor,
    mask: Int64Tensor,
    positions: Int64Tensor,
    n: number,
    first: boolean,
    soft: Tensor<'float32'> | null,
    softInput = true,
  ): Record<string, Tensor> {
    const [batch, length] = ids.dims;
    const width = mask.dims[1];
    const fullMask = new BigInt64Array(batch * (n + width));
    for (let b = 0; b < batch; b++) {
      fullMask.fill(1n, b * (n + width), b * (n + width) + n);
      fullMask.set(mask.data.subarray(b * width, (b + 1) * width), b * (n + width) + n);
    }
    const shifted = n === 0 ? positions.data : positions.data.map((p) => p + BigInt(n));
    const C = this.model.config.hidden_size;
    return {
      [INPUT_IDS]: tensor('int64', [batch, length], ids.data),
      [ATTENTION_MASK]: tensor('int64', [batch, n + width], fullMask),
      [POSITION_IDS]: tensor('int64', [batch, length], shifted),
      ...(softInput ? { [SOFT_PROMPT]: first && soft ? soft : tensor('float32', [0, C], new Float32Array(0)) } : {}),
    };
  }

  /** @internal past_key_values buffers with room for 0 positions. */
  emptyPast(batch: number): Record<string, Tensor> {
    const { num_key_value_heads: Hkv, head_dim: D, num_hidden_layers: L } = this.model.config;
    const feeds: Record<string, Tensor> = {};
    for (let i = 0; i < L; i++) {
      for (const part of ['key', 'value'] as const)
        feeds[pastName(i, part)] = tensor('float32', [batch, Hkv, 0, D], new Float32Array(0));
    }
    return feeds;
  }
}
