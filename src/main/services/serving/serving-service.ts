// The serving service (servingContract): starts and stops the OpenAI-compatible endpoint over the open workspace's
// releases, manages its API keys, and keeps what each request recorded. The HTTP side is host/serving-server.ts,
// opened through `openServer`; it calls back into `backend` (keys, models, completions, records).
import { performanceFigures, type PerformanceFigures } from '../../../shared/budget';
import { randomUUID } from 'node:crypto';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  ApiKey,
  LogSettings,
  ServedModel,
  ServedRequest,
  ServingLimits,
  ServingStatus,
  ServingSummary,
  StartServing,
  servingContract,
} from '../../../shared/contract/serving';
import { ServingLimits as LimitsSchema } from '../../../shared/contract/serving';
import { toCsv } from '../../../shared/csv-export';
import { CancelledError, UserError } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import { isLoopback } from '../../platform/addresses';
import type { WorkspaceAccess } from '../workspace';
import type { OpenServingServer, RefusedRequest, ServingBackend, StartedServer, Completion } from './backend';
import { Catalog, type CatalogDeps } from './catalog';
import { toEndpointError } from './endpoint-error';
import { KeyStore } from './key-store';
import { LiveMetrics, summarize } from './metrics';
import { parseBody, prepare, type Endpoint } from './prepare';
import { RequestLog } from './request-log';
import { Scheduler } from './scheduler';

type Contract = typeof servingContract;

export interface ServingServiceDeps extends CatalogDeps {
  readonly workspace: WorkspaceAccess & { isOpen(): boolean };
  readonly engine: EngineClient;
  readonly openServer: OpenServingServer;
  readonly userName: (id: string) => string | undefined;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly now?: () => number;
}

interface Running {
  readonly server: StartedServer;
  readonly host: string;
  readonly scheduler: Scheduler;
  readonly limits: ServingLimits;
  readonly metrics: LiveMetrics;
  readonly startedAt: string;
  readonly workspaceId: string;
}

const HOUR_MS = 3_600_000;
const DEFAULT_LIMITS = LimitsSchema.parse({});

export class ServingService implements ServiceImpl<Contract> {
  private running: Running | undefined;
  private starting: Promise<ServingStatus> | undefined;

  constructor(private readonly deps: ServingServiceDeps) {}

  private get keyStore(): KeyStore {
    return new KeyStore(this.deps.workspace.active.db);
  }

  private get log(): RequestLog {
    return new RequestLog(this.deps.workspace.active.db);
  }

  private get now(): number {
    return (this.deps.now ?? (() => performance.now()))();
  }

  async status(): Promise<ServingStatus> {
    const r = this.running;
    if (!r)
      return {
        running: false,
        host: null,
        port: null,
        baseUrl: null,
        warning: null,
        limits: DEFAULT_LIMITS,
        startedAt: null,
        activeRequests: 0,
        queuedRequests: 0,
      };
    const literal = r.host.includes(':') ? `[${r.host}]` : r.host;
    return {
      running: true,
      host: r.host,
      port: r.server.port,
      baseUrl: `http://${literal}:${r.server.port}/v1`,
      warning: isLoopback(r.host)
        ? null
        : `The endpoint listens on ${r.host}: programs on other machines of that network can reach it (an API key is still required, and it speaks plain HTTP, so keys and text cross the network unencrypted).`,
      limits: r.limits,
      startedAt: r.startedAt,
      activeRequests: r.scheduler.activeRequests,
      queuedRequests: r.scheduler.queuedRequests,
    };
  }

  async start(arg: StartServing): Promise<ServingStatus> {
    if (this.starting) await this.starting.catch(() => undefined);
    this.starting = this.startNow(arg);
    try {
      return await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  private async startNow(arg: StartServing): Promise<ServingStatus> {
    const workspaceId = this.deps.workspace.active.info.id;
    if (!isLoopback(arg.host) && !arg.allowNetwork)
      throw new UserError(`Serving on ${arg.host} makes the endpoint reachable from other machines`, {
        code: 'serving-network',
        where: 'host',
        hint: 'Keep 127.0.0.1, or confirm that other machines may reach it (allowNetwork).',
      });
    await this.stopNow();
    const metrics = new LiveMetrics();
    const scheduler = new Scheduler(this.deps.engine, arg.limits);
    const catalog = new Catalog(this.deps);
    let server: StartedServer;
    try {
      server = await this.deps.openServer(
        { host: arg.host, port: arg.port },
        this.backend(catalog, scheduler, arg.limits, metrics),
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UserError(`Could not listen on ${arg.host}:${arg.port}${code ? ` (${code})` : ''}`, {
        code: 'serving-listen',
        where: code === 'EADDRINUSE' ? 'port' : 'host',
        hint:
          code === 'EADDRINUSE'
            ? 'Another program uses that port: choose another.'
            : 'Choose an address of this machine.',
        cause: error,
      });
    }
    this.running = {
      server,
      host: arg.host,
      scheduler,
      limits: arg.limits,
      metrics,
      startedAt: this.deps.clock().toISOString(),
      workspaceId,
    };
    const status = await this.status();
    this.deps.events.emit('onStatus', status);
    return status;
  }

  async stop(): Promise<ServingStatus> {
    await this.stopNow();
    const status = await this.status();
    this.deps.events.emit('onStatus', status);
    return status;
  }

  /** Stops serving when the workspace it serves is no longer the open one. */
  async workspaceChanged(): Promise<void> {
    const r = this.running;
    if (!r) return;
    if (this.deps.workspace.isOpen() && this.deps.workspace.active.info.id === r.workspaceId) return;
    await this.stop();
  }

  async dispose(): Promise<void> {
    await this.stopNow();
  }

  private async stopNow(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    if (r) await r.server.close();
  }

  async models(): Promise<ServedModel[]> {
    return new Catalog(this.deps).models();
  }

  async keys(): Promise<ApiKey[]> {
    return this.keyStore.list();
  }

  async createKey(arg: { name: string }, ctx: CallContext): Promise<{ key: ApiKey; secret: string }> {
    const by = ctx.userId === undefined ? 'nobody' : (this.deps.userName(ctx.userId) ?? ctx.userId);
    return this.keyStore.create(arg.name, by, this.deps.clock().toISOString());
  }

  async revokeKey(arg: { id: string }): Promise<ApiKey> {
    return this.keyStore.revoke(arg.id, this.deps.clock().toISOString());
  }

  async requests(arg: { since?: string | undefined; limit: number }): Promise<ServedRequest[]> {
    return this.log.list(this.since(arg.since), arg.limit);
  }

  /**
   * What the endpoint measured for a release over the requests it answered (kept by the log's retention), for a
   * channel's budget; null when it has answered none. The worker's memory is not recorded per request.
   */
  async figuresFor(releaseId: string): Promise<{ since: string; figures: PerformanceFigures } | null> {
    const answered = this.log.answered(releaseId);
    const first = answered[0];
    if (!first) return null;
    const figures = performanceFigures(
      answered.map((r) => ({
        totalMs: r.totalMs,
        timeToFirstTokenMs: r.ttftMs,
        tokensPerSecond: r.tokensPerSecond,
        promptTokens: r.promptTokens ?? 0,
        peakRssBytes: null,
      })),
    );
    return { since: first.at, figures };
  }

  async summary(arg: { since?: string | undefined; bucketSeconds: number }): Promise<ServingSummary> {
    return summarize(this.log.list(this.since(arg.since), 100_000), arg.bucketSeconds, await this.engineMemory());
  }

  async exportCsv(arg: { since?: string | undefined }): Promise<{ fileName: string; text: string }> {
    const rows = this.log.list(this.since(arg.since), 1_000_000).reverse();
    const columns = [
      'id',
      'at',
      'endpoint',
      'model',
      'releaseId',
      'channel',
      'stream',
      'status',
      'outcome',
      'errorClass',
      'promptTokens',
      'completionTokens',
      'queueMs',
      'ttftMs',
      'totalMs',
      'tokensPerSecond',
      'batchSize',
      'prompt',
      'completion',
    ] as const;
    const text = toCsv(
      columns,
      rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]]))),
    );
    return { fileName: `serving-requests-${this.deps.clock().toISOString().slice(0, 10)}.csv`, text };
  }

  async logSettings(): Promise<LogSettings> {
    return this.log.settings();
  }

  async setLogSettings(arg: LogSettings): Promise<LogSettings> {
    this.log.setSettings(arg);
    return this.log.settings();
  }

  private since(since: string | undefined): string {
    return since ?? new Date(this.deps.clock().getTime() - HOUR_MS).toISOString();
  }

  private async engineMemory(): Promise<number | null> {
    try {
      return (await this.deps.engine.request('ping', {})).rssBytes ?? null;
    } catch {
      return null;
    }
  }

  private backend(catalog: Catalog, scheduler: Scheduler, limits: ServingLimits, metrics: LiveMetrics): ServingBackend {
    const record = (entry: ServedRequest): void => {
      metrics.add(entry);
      if (!this.deps.workspace.isOpen()) return;
      this.log.append(entry, this.deps.clock());
      this.deps.events.emit('onRequest', { id: entry.id, model: entry.model });
    };
    const base = (endpoint: ServedRequest['endpoint'], model: string | null, stream: boolean) => ({
      id: randomUUID(),
      at: this.deps.clock().toISOString(),
      endpoint,
      model,
      releaseId: null,
      channel: null,
      stream,
      promptTokens: null,
      completionTokens: null,
      queueMs: null,
      ttftMs: null,
      tokensPerSecond: null,
      batchSize: null,
      prompt: null,
      completion: null,
    });
    return {
      limits,
      authenticate: (secret) =>
        secret !== undefined &&
        secret !== '' &&
        this.deps.workspace.isOpen() &&
        this.keyStore.verify(secret, this.deps.clock().toISOString()),
      models: () => catalog.models(),
      refused: (r: RefusedRequest) =>
        record({
          ...base(r.endpoint, r.model, r.stream),
          status: r.status,
          outcome: 'error',
          errorClass: r.errorClass,
          totalMs: r.totalMs,
        }),
      metrics: async () =>
        metrics.text({
          active: scheduler.activeRequests,
          queued: scheduler.queuedRequests,
          engineMemoryBytes: await this.engineMemory(),
        }),
      complete: async (endpoint: Endpoint, body: unknown, onDelta, signal): Promise<Completion> => {
        const started = this.now;
        const asked = (body as { model?: unknown } | null)?.model;
        const stream = (body as { stream?: unknown } | null)?.stream === true;
        const entry: ServedRequest = {
          ...base(endpoint, typeof asked === 'string' ? asked : null, stream),
          status: 200,
          outcome: 'ok',
          errorClass: null,
          totalMs: 0,
        };
        try {
          const parsed = parseBody(endpoint, body);
          const target = await catalog.target(parsed.model);
          Object.assign(entry, { releaseId: target.served.releaseId, channel: target.served.channel });
          const prepared = await prepare(endpoint, parsed, target, limits.maxTokens);
          entry.prompt = prepared.promptText;
          const { model, adapterFolders } = target.resolved;
          const ref = { folder: model.folder, contentHash: model.contentHash };
          const out = await scheduler.submit({
            key: JSON.stringify(ref), // the base model: releases and decoding may differ within a run
            model: ref,
            prompt: prepared.prompt,
            settings: prepared.settings,
            seed: prepared.seed,
            adapterFolders,
            onDelta,
            signal,
          });
          const row = out.row;
          if (row.finishReason === 'cancelled') throw new CancelledError();
          Object.assign(entry, {
            promptTokens: row.promptTokens,
            completionTokens: row.generatedTokens,
            queueMs: out.queueMs,
            ttftMs: out.ttftMs,
            tokensPerSecond: row.tokensPerSecond,
            batchSize: out.batchSize,
            completion: row.text,
          });
          return {
            model: parsed.model,
            text: row.text,
            finishReason: row.finishReason === 'length' ? 'length' : 'stop',
            usage: {
              prompt_tokens: row.promptTokens,
              completion_tokens: row.generatedTokens,
              total_tokens: row.promptTokens + row.generatedTokens,
            },
          };
        } catch (error) {
          const failure = toEndpointError(error);
          Object.assign(entry, {
            status: failure.status,
            outcome: failure.status === 499 ? 'cancelled' : 'error',
            errorClass: failure.errorClass,
          });
          throw failure;
        } finally {
          entry.totalMs = this.now - started;
          record(entry);
        }
      },
    };
  }
}
