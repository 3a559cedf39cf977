// One run of an experiment: for each cell, the examples without a stored output are generated in batches (one
// engine `generate` per batch, the cell's adapters and template applied) and stored batch by batch, so a cancel or a
// killed app loses at most the batch in flight and the next run starts where this one stopped.
import { WEIGHT_FORMAT_NAMES, type WeightFormat } from '../../../shared/weight-format';
import { createHash } from 'node:crypto';
import type { Experiment, ExperimentProgress, ExperimentState } from '../../../shared/contract/experiments';
import { canonicalDecodingSettings, DecodingSettings } from '../../../shared/decoding-settings';
import { CancelledError, UserError } from '../../../shared/errors';
import { isEngineInterruption } from '../../engine/engine-errors';
import type { EngineClient } from '../../engine/client';
import type { ResolvedSpecialization } from '../specializations';
import { promptsFor } from '../specializations';
import type { ExperimentExamples, Example } from './examples';
import { ExperimentStore, type StoredOutput } from './experiment-store';
import type { SqlDatabase } from '../../platform/db';
import type { RemoteClient } from '../remote/remote-client';
import { judgeBatch, judgedHash, judgeKey, type JudgeMetric } from './judge-run';

export interface ExperimentRunDeps {
  experiment: Experiment;
  db: SqlDatabase;
  engine: EngineClient;
  examples: ExperimentExamples;
  /** The cells' specializations, resolved, in cell order. */
  cells: ResolvedSpecialization[];
  clock: () => Date;
  now?: () => number;
  onProgress: (progress: ExperimentProgress) => void;
  onState: (experiment: Experiment) => void;
  /** The OpenAI-compatible server that generates instead of the engine (experiment.spec.remote), or null. */
  remote?: RemoteClient | null;
  /** The model-graded metrics with their judges, resolved (judged locally after the outputs). */
  judges?: readonly { metric: JudgeMetric; judge: ResolvedSpecialization }[];
  /**
   * A weight format check: `cells` lists the experiment's cells once per format, each resolved at its format, and
   * every generation names it; the cells' recorded formats stay as they were.
   */
  formatCheck?: boolean;
}

/**
 * The key parts of a cell's outputs besides the example. The weights' precision is part of what made an output: a
 * model run at 8 or 4 bits keys its outputs apart from the same bundle at the stored precision (whose keys are
 * unchanged, so outputs stored before weight formats existed are still found). A `fresh` experiment's tag keys its
 * outputs apart from every other experiment's.
 */
export function outputKey(
  cell: Pick<ResolvedSpecialization, 'spec'>,
  weightFormat: WeightFormat,
  fresh?: string,
  remote?: string,
): { specHash: string; decodingHash: string; seed: number } {
  const canonical = canonicalDecodingSettings(cell.spec.decoding);
  const local = weightFormat === 'stored' ? cell.spec.hash : `${cell.spec.hash}@${weightFormat}`;
  // Outputs of a remote server are keyed apart by the server and model that made them.
  const stored = remote === undefined ? local : `${cell.spec.hash}@remote:${remote}`;
  const specHash = fresh === undefined ? stored : `${stored}#fresh:${fresh}`;
  return {
    specHash,
    decodingHash: createHash('sha256').update(canonical).digest('hex'),
    seed: cell.spec.decoding.seed ?? 0,
  };
}

export class ExperimentRun {
  experiment: Experiment;
  readonly done: Promise<void>;
  private readonly controller = new AbortController();

  constructor(private readonly d: ExperimentRunDeps) {
    // Each cell records the precision its model runs at now, so results and lineage read the outputs made at it even
    // after the model's format changes.
    this.experiment = d.formatCheck
      ? d.experiment
      : {
          ...d.experiment,
          cells: d.experiment.cells.map((c, i) => ({
            ...c,
            weightFormat: d.cells[i]?.model.weightFormat ?? 'stored',
          })),
        };
    if (!d.formatCheck) new ExperimentStore(d.db).updateCells(this.experiment.id, this.experiment.cells);
    this.done = this.run();
  }

  cancel(): void {
    this.controller.abort();
  }

  private async run(): Promise<void> {
    const store = new ExperimentStore(this.d.db);
    const now = this.d.now ?? (() => performance.now());
    try {
      const { examples } = this.d.examples;
      const remote = this.d.experiment.spec.remote;
      // The server must still serve every cell's model (the run refuses before generating anything otherwise).
      if (this.d.remote && remote) await this.d.remote.identify(this.d.clock().toISOString());
      const todo = this.d.cells.map((cell) => {
        const key = outputKey(
          cell,
          cell.model.weightFormat,
          this.d.experiment.spec.fresh,
          remote ? remoteTag(remote, cell.spec.id) : undefined,
        );
        const stored = store.outputs(
          key.specHash,
          key.decodingHash,
          key.seed,
          examples.map((e) => e.hash),
        );
        return { cell, key, missing: examples.filter((e) => !stored.has(e.hash)) };
      });
      const total = examples.length * this.d.cells.length;
      const reused = total - todo.reduce((s, t) => s + t.missing.length, 0);
      let done = reused;
      const startedAt = now();
      const progress = (cell: string | null): ExperimentProgress => {
        const elapsed = (now() - startedAt) / 1000;
        const rate = done > reused && elapsed > 0 ? (done - reused) / elapsed : null;
        return { done, total, reused, rowsPerSecond: rate, etaSeconds: rate ? (total - done) / rate : null, cell };
      };
      this.set('running', progress(null));
      for (const { cell, key, missing } of todo) {
        const own = this.d.experiment.cells.find((c) => c.specializationId === cell.spec.id)?.label ?? cell.spec.name;
        const label = this.d.formatCheck ? `${own} (${WEIGHT_FORMAT_NAMES[cell.model.weightFormat]})` : own;
        for (let i = 0; i < missing.length; i += this.d.experiment.spec.batchSize) {
          if (this.controller.signal.aborted) throw new CancelledError('The experiment was cancelled');
          const batch = missing.slice(i, i + this.d.experiment.spec.batchSize);
          const outputs = await this.generate(cell, batch, key);
          store.insertOutputs(outputs, this.d.clock().toISOString());
          done += batch.length;
          const p = progress(label);
          this.experiment = { ...this.experiment, progress: p };
          store.update({ ...this.experiment, updatedAt: this.d.clock().toISOString() });
          this.d.onProgress(p);
        }
      }
      await this.judge(store, todo, (cell) => {
        const p = progress(cell);
        this.experiment = { ...this.experiment, progress: p };
        this.d.onProgress(p);
      });
      this.set('completed', progress(null));
    } catch (error) {
      const cancelled = error instanceof CancelledError || this.controller.signal.aborted;
      const user = error instanceof UserError ? error : null;
      this.set(
        cancelled ? 'cancelled' : isEngineInterruption(error) ? 'interrupted' : 'failed',
        this.experiment.progress,
        cancelled
          ? null
          : {
              message: user
                ? user.message
                : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
              hint: user?.hint ?? null,
            },
      );
    }
  }

  /** Every output of every cell answered by each judge metric's judge (answers already stored are reused). */
  private async judge(
    store: ExperimentStore,
    todo: readonly { cell: ResolvedSpecialization; key: ReturnType<typeof outputKey> }[],
    report: (cell: string) => void,
  ): Promise<void> {
    const { examples } = this.d.examples;
    const inputFields = this.d.examples.facts.roles.input;
    const seed = this.d.experiment.spec.seed;
    for (const { metric, judge } of this.d.judges ?? []) {
      const key = judgeKey(judge.spec, judge.model.weightFormat, seed);
      for (const { cell, key: outKey } of todo) {
        const outputs = store.outputs(
          outKey.specHash,
          outKey.decodingHash,
          outKey.seed,
          examples.map((e) => e.hash),
        );
        const pairs = examples.flatMap((example) => {
          const o = outputs.get(example.hash);
          return o === undefined ? [] : [{ example, output: o.text, hash: judgedHash(metric, example, o.text) }];
        });
        const answered = store.outputs(
          key.specHash,
          key.decodingHash,
          key.seed,
          pairs.map((p) => p.hash),
        );
        const missing = pairs.filter((p) => !answered.has(p.hash));
        for (let i = 0; i < missing.length; i += this.d.experiment.spec.batchSize) {
          if (this.controller.signal.aborted) throw new CancelledError('The experiment was cancelled');
          const batch = missing.slice(i, i + this.d.experiment.spec.batchSize);
          report(`judging ${cell.spec.name} (${i + batch.length} / ${missing.length})`);
          const answers = await judgeBatch(
            metric,
            judge,
            key,
            batch,
            inputFields,
            this.d.engine,
            this.controller.signal,
          );
          store.insertOutputs(answers, this.d.clock().toISOString());
        }
      }
    }
  }

  private async generate(
    cell: ResolvedSpecialization,
    batch: readonly Example[],
    key: ReturnType<typeof outputKey>,
  ): Promise<StoredOutput[]> {
    const roles = this.d.examples.facts.roles;
    const prompts = (
      await promptsFor(
        cell,
        batch.map((e) => ({ row: e.data, where: `row ${e.key}` })),
        roles,
        this.controller.signal,
      )
    ).map((p) => p.prompt);
    const remote = this.d.experiment.spec.remote;
    if (this.d.remote && remote) {
      const model = remote.models[cell.spec.id] as string;
      const settings = DecodingSettings.parse({ ...cell.decoding, seed: key.seed });
      const rows = await this.d.remote.complete(model, prompts, settings, this.controller.signal);
      return rows.map((r, b) => ({
        ...key,
        ...r,
        exampleHash: (batch[b] as Example).hash,
        peakRssBytes: null, // the server's memory is not ours to measure
      }));
    }
    const result = await this.d.engine.request(
      'generate',
      {
        model: {
          folder: cell.model.folder,
          contentHash: cell.model.contentHash,
          ...(this.d.formatCheck ? { weightFormat: cell.model.weightFormat } : {}),
        },
        prompts,
        settings: { ...cell.decoding, seed: key.seed },
        adapterFolders: cell.adapterFolders,
        stream: false,
      },
      { signal: this.controller.signal },
    );
    if (result.rows.some((r) => r.finishReason === 'cancelled'))
      throw new CancelledError('The experiment was cancelled');
    return result.rows.map((r, b) => ({
      ...key,
      exampleHash: (batch[b] as Example).hash,
      text: r.text,
      finishReason: r.finishReason,
      // The soft prompt's virtual tokens are context too: counted here so that a cell's cost is visible.
      promptTokens: r.promptTokens + cell.softPromptTokens,
      generatedTokens: r.generatedTokens,
      timeToFirstTokenMs: r.timeToFirstTokenMs,
      totalMs: r.totalMs,
      tokensPerSecond: r.tokensPerSecond,
      peakRssBytes: result.peakRssBytes ?? null,
    }));
  }

  private set(state: ExperimentState, progress: ExperimentProgress | null, error: Experiment['error'] = null): void {
    this.experiment = { ...this.experiment, state, progress, error, updatedAt: this.d.clock().toISOString() };
    new ExperimentStore(this.d.db).update(this.experiment);
    this.d.onState(this.experiment);
  }
}

/** What keys a remote cell's outputs: the server, its model name for the cell and the version it reported. */
export function remoteTag(remote: NonNullable<Experiment['spec']['remote']>, specializationId: string): string {
  const what = `${remote.baseUrl}\n${remote.models[specializationId] ?? ''}\n${remote.identity?.version ?? ''}`;
  return createHash('sha256').update(what).digest('hex').slice(0, 16);
}
