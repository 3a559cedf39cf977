// The reviews service (reviewsContract). Blinding is enforced here, not in the UI: the reviewer's methods (queue,
// item, vote, undo) build their answers from the plan's opaque item ids, the input and the two texts only; while a
// round is open `results` and `export` are refused to everyone and `get` (which names specializations) to its
// reviewers and to users with the reviewer role. The caller is `ctx.userId` (set by the share server from a
// reviewer's token), else the current user. Also: per-reviewer share tokens for the review-only server, and the
// preferred outputs of a closed round as a new dataset version (closing the loop).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { Experiment, OutputRow } from '../../../shared/contract/experiments';
import type {
  CreateRound,
  ReviewItem,
  ReviewQueue,
  ReviewResults,
  reviewsContract,
  Round,
  RoundSummary,
  SharedLink,
  ShareInterface,
  VoteArg,
} from '../../../shared/contract/reviews';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel, type MetricSpec } from '../../../shared/metrics';
import type { z } from 'zod';
import { DEFAULT_SPLIT, type DatasetLineage, type ImportDataset } from '../../../shared/contract/datasets';
import { UserError } from '../../../shared/errors';
import type { User } from '../../../shared/contract/users';
import type { LineageManifest } from '../../../shared/lineage';
import type { WorkspaceAccess } from '../workspace';
import {
  analyse,
  exportRows,
  judgmentsOf,
  preferredOutputs,
  votesCsv,
  type AnalysisInput,
  type ReviewJudgment,
} from './analysis';
import { makePlan, type Assignment, type CandidateRow } from './plan';
import { ReviewStore, type StoredRound } from './review-store';
import { exportedRows, sharedRows, type RoundPrivacyCheck } from './round-privacy';
import { checkShareTarget, shareInterfaces, ShareServers, tokenHash, type OpenShareServerFn } from './share-servers';

type Contract = typeof reviewsContract;

export interface ReviewsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly experiments: {
    get(arg: { id: string }): Promise<Experiment>;
    outputs(arg: {
      id: string;
      offset: number;
      limit: number;
      filter: 'all' | 'disagreements' | 'failures';
    }): Promise<{ total: number; rows: OutputRow[] }>;
  };
  /** For the stratification field (outputs carry only the input fields). */
  readonly examples: (experiment: Experiment) => readonly { data: Record<string, unknown> }[];
  readonly specializationName: (id: string) => string | undefined;
  readonly users: { currentUser(): User; user(id: string): User | undefined };
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
  /** Bootstrap resamples of the Bradley-Terry CIs (tests lower it). */
  readonly resamples?: number;
  /** The datasets service's import with the round as the new version's lineage (closing the loop). */
  readonly importDataset?: (
    arg: ImportDatasetArg,
    lineage: DatasetLineage,
  ) => Promise<{ version: { id: string; datasetId: string } }>;
  /** The personal-data check before a round is shared or exported (the privacy service's guard). */
  readonly privacyCheck?: RoundPrivacyCheck;
  /** Starts the review-only server (host/review-share-server.ts) on an interface; absent: sharing off. */
  readonly openShareServer?: OpenShareServerFn;
  /** This machine's addresses (tests pass their own). */
  readonly interfaces?: () => ShareInterface[];
  /** A closed round's lineage manifest (the report kinds'), written beside its exports; absent: no sidecar. */
  readonly lineage?: (roundId: string, ctx: CallContext | undefined) => Promise<LineageManifest>;
}

export type { OpenShareServer } from './share-servers';

export type ImportDatasetArg = z.output<typeof ImportDataset>;

export class ReviewsService implements ServiceImpl<Contract> {
  /** Share servers by interface: started on the first share there, closed when their last live link goes. */
  private readonly shares: ShareServers | undefined;

  constructor(private readonly deps: ReviewsServiceDeps) {
    this.shares = deps.openShareServer && new ShareServers(deps.openShareServer, (hash) => this.liveShare(hash));
  }

  async createRound(spec: CreateRound, ctx: CallContext): Promise<Round> {
    const caller = this.organiser(ctx, 'create review rounds');
    const experiment = await this.deps.experiments.get({ id: spec.experimentId });
    const cellIds = experiment.cells.map((c) => c.specializationId);
    const missing = spec.specializationIds.find((id) => !cellIds.includes(id));
    if (missing !== undefined)
      throw new UserError(`Specialization ${missing} is not a cell of "${experiment.name}"`, {
        code: 'review-specialization',
        where: 'specializationIds',
      });
    if (new Set(spec.specializationIds).size !== spec.specializationIds.length)
      throw new UserError('A specialization is listed twice', {
        code: 'review-specialization',
        where: 'specializationIds',
      });
    for (const id of spec.reviewerIds)
      if (!this.deps.users.user(id))
        throw new UserError(`No user ${id} in this workspace`, { code: 'not-found', where: 'reviewerIds' });
    // A seed nobody chose is drawn from the CSPRNG and stays secret until the round closes (see `full`).
    const seeded = { ...spec, seed: spec.seed ?? randomInt(0, 0x1_0000_0000) };
    const plan = makePlan(await this.candidates(experiment, seeded), seeded);
    const now = this.deps.clock().toISOString();
    const round: StoredRound = {
      id: (this.deps.newId ?? randomUUID)(),
      name: spec.name,
      experimentId: experiment.id,
      state: 'open',
      spec: seeded,
      plan,
      createdBy: caller.id,
      createdAt: now,
      closedAt: null,
    };
    this.store().insert(round);
    this.deps.events.emit('onChanged', { id: round.id, state: round.state });
    return this.full(round, experiment.name);
  }

  async list(_arg: unknown = {}, ctx: CallContext = { transport: 'test' }): Promise<RoundSummary[]> {
    const store = this.store();
    const caller = this.caller(ctx);
    return store
      .all()
      .filter((r) => caller.role !== 'reviewer' || r.spec.reviewerIds.includes(caller.id))
      .map((r) =>
        r.state === 'open' && r.spec.reviewerIds.includes(caller.id)
          ? this.reviewerSummary(r, store, caller.id)
          : this.summary(r, store),
      );
  }

  /** The open rounds this person reviews in (the dispatcher keeps them blind while these are open). */
  openReviews(userId: string): { name: string; experimentId: string }[] {
    return this.store()
      .all()
      .filter((r) => r.state === 'open' && r.spec.reviewerIds.includes(userId))
      .map((r) => ({ name: r.name, experimentId: r.experimentId }));
  }

  async get({ id }: { id: string }, ctx: CallContext): Promise<Round> {
    const round = this.find(id);
    this.refuseBlind(round, ctx);
    return this.full(round, await this.experimentName(round.experimentId));
  }

  async close({ id }: { id: string }, ctx: CallContext): Promise<Round> {
    const round = this.find(id);
    this.organiser(ctx, 'close review rounds');
    if (round.state === 'closed') throw new UserError(`"${round.name}" is closed already`, { code: 'review-closed' });
    const at = this.deps.clock().toISOString();
    this.store().close(id, at);
    await this.shares?.prune(); // the round's links died with it
    this.deps.events.emit('onChanged', { id, state: 'closed' });
    return this.full({ ...round, state: 'closed', closedAt: at }, await this.experimentName(round.experimentId));
  }

  async results({ id }: { id: string }): Promise<ReviewResults> {
    return analyse(await this.analysisInput(this.closedRound(id)));
  }

  /** Closed rounds (whose results may be shown), for reports. */
  closedRounds(): { id: string; name: string; closedAt: string | null }[] {
    return this.store()
      .all()
      .filter((r) => r.state === 'closed')
      .map((r) => ({ id: r.id, name: r.name, closedAt: r.closedAt }));
  }

  /** A closed round's votes as its export writes them (names, not ids), for reports to quote comments from. */
  async judgments(id: string): Promise<ReviewJudgment[]> {
    return judgmentsOf(await this.analysisInput(this.closedRound(id)));
  }

  /**
   * The votes as FastChat battles (a JSON array, as FastChat's Elo analysis reads it) or CSV, byte for byte as before;
   * the round's lineage goes in a sidecar file beside it, since a header inside either would break their readers.
   */
  async export(
    { id, format }: { id: string; format: 'fastchat' | 'csv' },
    ctx?: CallContext,
  ): Promise<{
    fileName: string;
    text: string;
    warnings: string[];
    lineage: { fileName: string; text: string } | null;
  }> {
    const round = this.closedRound(id);
    if (format === 'fastchat' && round.spec.mode !== 'pairwise')
      throw new UserError('FastChat battles need a pairwise round', {
        code: 'review-export',
        where: 'format',
        hint: 'Export CSV instead.',
      });
    const rows = exportRows(await this.analysisInput(round));
    const base = round.name.replace(/[^\w.-]+/g, '-').toLowerCase();
    const warning = await this.deps.privacyCheck?.(
      'export',
      `review round "${round.name}"`,
      exportedRows(
        round,
        this.store()
          .votes(round.id)
          .map((v) => v.comment),
      ),
    );
    const warnings = warning ? [warning] : [];
    const fileName = format === 'csv' ? `${base}-votes.csv` : `${base}-battles.json`;
    const manifest = await this.deps.lineage?.(round.id, ctx);
    const lineage = manifest
      ? { fileName: `${fileName}.lineage.json`, text: lineageSidecar(fileName, manifest) }
      : null;
    return format === 'csv'
      ? { fileName, text: votesCsv(rows), warnings, lineage }
      : {
          fileName,
          warnings,
          lineage,
          text: JSON.stringify(
            rows.map(({ question_id, model_a, model_b, winner, judge, tstamp }) => ({
              question_id,
              model_a,
              model_b,
              winner,
              judge,
              turn: 1,
              anony: true,
              tstamp,
            })),
            null,
            1,
          ),
        };
  }

  async queue({ roundId }: { roundId: string }, ctx: CallContext): Promise<ReviewQueue> {
    const round = this.find(roundId);
    const store = this.store();
    const queue = this.queueOf(round, ctx);
    const voted = new Set(store.votes(roundId).map((v) => v.itemId));
    const items = queue.map((a) => ({ itemId: a.id, done: voted.has(a.id) }));
    return {
      round: this.reviewerSummary(round, store, (queue[0] as Assignment).reviewerId),
      items,
      done: items.filter((i) => i.done).length,
      next: items.find((i) => !i.done)?.itemId ?? null,
    };
  }

  async item({ roundId, itemId }: { roundId: string; itemId: string }, ctx: CallContext): Promise<ReviewItem> {
    const round = this.find(roundId);
    return this.blindItem(round, this.queueOf(round, ctx), itemId);
  }

  async vote(arg: VoteArg, ctx: CallContext): Promise<ReviewItem> {
    const round = this.find(arg.roundId);
    if (round.state !== 'open')
      throw new UserError(`"${round.name}" is closed`, {
        code: 'review-closed',
        hint: 'Votes are taken only while a round is open.',
      });
    const queue = this.queueOf(round, ctx);
    const assignment = queue.find((a) => a.id === arg.itemId);
    if (!assignment) throw notAssigned();
    const pairwise = round.spec.mode === 'pairwise';
    if (pairwise !== ['left', 'right', 'tie', 'both-bad'].includes(arg.verdict)) {
      throw new UserError(`"${arg.verdict}" is not a verdict of a ${round.spec.mode} round`, {
        code: 'review-verdict',
        where: 'verdict',
      });
    }
    const unknownTag = arg.tags.find((t) => !round.spec.tags.includes(t));
    if (unknownTag !== undefined)
      throw new UserError(`"${unknownTag}" is not one of this round's tags`, { code: 'review-tag', where: 'tags' });
    this.store().putVote(round.id, {
      itemId: assignment.id,
      reviewerId: assignment.reviewerId,
      verdict: arg.verdict,
      tags: [...new Set(arg.tags)],
      comment: arg.comment,
      ms: arg.ms,
      at: this.deps.clock().toISOString(),
    });
    return this.blindItem(round, queue, assignment.id);
  }

  async undo({ roundId }: { roundId: string }, ctx: CallContext): Promise<ReviewItem | null> {
    const round = this.find(roundId);
    if (round.state !== 'open') throw new UserError(`"${round.name}" is closed`, { code: 'review-closed' });
    const queue = this.queueOf(round, ctx);
    const itemId = this.store().undo(round.id, (queue[0] as Assignment).reviewerId);
    return itemId === undefined ? null : this.blindItem(round, queue, itemId);
  }

  async share(
    arg: { roundId: string; reviewerId: string; host: string; port: number; tls?: boolean | undefined },
    ctx: CallContext,
  ): Promise<SharedLink> {
    const round = this.find(arg.roundId);
    this.organiser(ctx, 'share review rounds');
    if (round.state !== 'open') throw new UserError(`"${round.name}" is closed`, { code: 'review-closed' });
    if (!round.spec.reviewerIds.includes(arg.reviewerId))
      throw new UserError('Only a reviewer of the round gets a link', {
        code: 'review-not-reviewer',
        where: 'reviewerId',
      });
    if (!this.shares)
      throw new UserError('Sharing is not available in this app', {
        code: 'review-share',
        hint: 'Use browser mode or the desktop app.',
      });
    const target = checkShareTarget(arg.host, arg.tls, (this.deps.interfaces ?? shareInterfaces)());
    const warning = await this.deps.privacyCheck?.('share', `review round "${round.name}"`, sharedRows(round));
    // One server per interface; a later share on the same interface reuses it (and its port).
    const token = randomBytes(24).toString('base64url');
    const server = await this.shares.serve(
      { ...target, port: arg.port, workspaceDir: this.deps.workspace.active.info.path },
      tokenHash(token),
    );
    try {
      this.store().issueShare(round.id, arg.reviewerId, tokenHash(token), this.deps.clock().toISOString());
    } finally {
      await this.shares.prune(); // the reviewer's previous link may have been the last on another interface
    }
    const literal = target.host.includes(':') ? `[${target.host}]` : target.host;
    return {
      reviewerId: arg.reviewerId,
      token,
      host: target.host,
      port: server.port,
      origin: `${server.scheme}://${literal}:${server.port}`,
      scheme: server.scheme,
      fingerprint256: server.fingerprint256,
      warnings: warning ? [warning] : [],
    };
  }

  async revokeShare(arg: { roundId: string; reviewerId: string }, ctx: CallContext): Promise<null> {
    this.find(arg.roundId);
    this.organiser(ctx, 'revoke review links');
    this.store().revokeShares(arg.roundId, arg.reviewerId, this.deps.clock().toISOString());
    await this.shares?.prune();
    return null;
  }

  async shareInterfaces(_arg: Record<string, never>, ctx: CallContext): Promise<ShareInterface[]> {
    this.organiser(ctx, 'share review rounds');
    return (this.deps.interfaces ?? shareInterfaces)();
  }

  async toDataset(
    arg: { id: string; newName?: string | undefined; datasetId?: string | undefined },
    ctx: CallContext,
  ): Promise<{ datasetVersionId: string; datasetId: string; rows: number; heldOut: number; warnings: string[] }> {
    const round = this.closedRound(arg.id);
    this.organiser(ctx, 'make datasets from review rounds');
    const importDataset = this.deps.importDataset;
    if (!importDataset)
      throw new UserError('Datasets cannot be made from rounds in this app', { code: 'review-dataset' });
    const rows = preferredOutputs(round.plan, this.store().votes(round.id), round.spec.mode).map((p) => ({
      ...p.unit.input,
      preferred_output: p.text,
      review_round: round.id,
      example_key: p.unit.key,
    }));
    if (rows.length === 0)
      throw new UserError(`No item of "${round.name}" has a preferred output`, {
        code: 'review-dataset',
        hint: 'Ties, "both bad" and split verdicts give none.',
      });
    const inputs = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
      (k) => !['preferred_output', 'review_round', 'example_key'].includes(k),
    );
    // Write-then-rename: the import reads a complete file or none.
    const ws = this.deps.workspace.active;
    const folder = join(ws.info.path, 'reviews');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${round.id}-preferred.jsonl`);
    writeFileSync(`${file}.tmp`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    renameSync(`${file}.tmp`, file);
    // Every unit was drawn from the split the experiment evaluates. Rows of an evaluation split stay in that split of
    // the new dataset: training on them would make the experiment's (and any later) scores on them look better.
    const { split } = (await this.deps.experiments.get({ id: round.experimentId })).spec;
    const heldOut = split === 'train' ? 0 : rows.length;
    const warnings =
      heldOut === 0
        ? []
        : [
            `All ${rows.length} rows were drawn from the ${split} split the experiment evaluates on: they are kept in the ${split} split of the new dataset, ` +
              'so no training run takes them (training on evaluation rows makes scores on them look better than ' +
              'they are).',
          ];
    const result = await importDataset(
      {
        ...(arg.datasetId === undefined ? { newName: arg.newName as string } : { datasetId: arg.datasetId }),
        message: `Preferred outputs of review round "${round.name}" (${round.id}), ${rows.length} items, closed ${round.closedAt ?? ''}`,
        files: [heldOut === 0 ? { path: file } : { path: file, split }],
        mapping: [
          ...inputs.map((name) => ({ source: name, name, role: 'input' as const })),
          { source: 'preferred_output', name: 'preferred_output', role: 'reference' as const },
          { source: 'review_round', name: 'review_round', role: 'none' as const },
          { source: 'example_key', name: 'example_key', role: 'none' as const },
        ],
        split: heldOut === 0 ? DEFAULT_SPLIT : { kind: 'given' },
      },
      { kind: 'review-round', roundId: round.id, roundName: round.name, experimentId: round.experimentId },
    );
    return {
      datasetVersionId: result.version.id,
      datasetId: result.version.datasetId,
      rows: rows.length,
      heldOut,
      warnings,
    };
  }

  /** The round and reviewer of a live token (by hash) of an open round in the open workspace. */
  private liveShare(hash: string): { roundId: string; userId: string } | undefined {
    let store;
    try {
      store = this.store();
    } catch {
      return undefined; // no workspace open: nothing is shared
    }
    return store.shareOf(hash);
  }

  /** Closes the share servers left with no live link (after the workspace changed, none has one). */
  async pruneShares(): Promise<void> {
    await this.shares?.prune();
  }

  async dispose(): Promise<void> {
    await this.shares?.dispose();
  }

  /** The reviewer's view of one item: opaque id, input, texts by side, own vote. Nothing else leaves here. */
  private blindItem(round: StoredRound, queue: readonly Assignment[], itemId: string): ReviewItem {
    const position = queue.findIndex((a) => a.id === itemId);
    const assignment = queue[position];
    if (!assignment) throw notAssigned();
    const unit = round.plan.units[assignment.unit];
    if (!unit) throw notAssigned();
    const vote = this.store()
      .votes(round.id)
      .find((v) => v.itemId === itemId);
    const [left, right] = assignment.swap ? [unit.textB, unit.textA] : [unit.textA, unit.textB];
    return {
      roundId: round.id,
      itemId,
      position,
      total: queue.length,
      mode: round.spec.mode,
      input: unit.input,
      left: left ?? '',
      right,
      vote: vote ? { verdict: vote.verdict, tags: vote.tags, comment: vote.comment, ms: vote.ms } : null,
    };
  }

  private queueOf(round: StoredRound, ctx: CallContext): Assignment[] {
    const caller = this.caller(ctx);
    const queue = round.plan.queues[caller.id];
    if (!queue || queue.length === 0)
      throw new UserError(`${caller.name} is not a reviewer of "${round.name}"`, {
        code: 'review-not-reviewer',
        hint: "Switch to one of the round's reviewers.",
      });
    return queue;
  }

  private refuseBlind(round: StoredRound, ctx: CallContext): void {
    if (round.state === 'closed') return;
    const caller = this.caller(ctx);
    if (caller.role === 'reviewer' || round.spec.reviewerIds.includes(caller.id)) {
      throw new UserError(`"${round.name}" is blinded for its reviewers until it is closed`, {
        code: 'review-blinded',
      });
    }
  }

  /**
   * Reviewers' tags on an experiment's outputs, from its closed rounds (open rounds stay blind): a single-output vote's
   * tags belong to its output; a pairwise vote's to the output not preferred (both for a tie or "both bad").
   */
  tagsOf(experimentId: string): { specializationId: string; exampleIdx: number; tag: string }[] {
    const out: { specializationId: string; exampleIdx: number; tag: string }[] = [];
    const store = this.store();
    for (const round of store.all()) {
      if (round.experimentId !== experimentId || round.state !== 'closed') continue;
      const assignments = new Map(Object.values(round.plan.queues).flatMap((q) => q.map((a) => [a.id, a] as const)));
      for (const vote of store.votes(round.id)) {
        const assignment = assignments.get(vote.itemId);
        const unit = assignment === undefined ? undefined : round.plan.units[assignment.unit];
        if (!assignment || !unit || vote.tags.length === 0) continue;
        const left = assignment.swap ? unit.b : unit.a;
        const right = assignment.swap ? unit.a : unit.b;
        const tagged =
          unit.b === null
            ? [unit.a]
            : vote.verdict === 'left'
              ? [right]
              : vote.verdict === 'right'
                ? [left]
                : [left, right];
        for (const specializationId of tagged)
          if (specializationId !== null)
            for (const tag of vote.tags) out.push({ specializationId, exampleIdx: unit.exampleIdx, tag });
      }
    }
    return out;
  }

  private closedRound(id: string): StoredRound {
    const round = this.find(id);
    if (round.state !== 'closed')
      throw new UserError(`Results of "${round.name}" are shown once the round is closed`, {
        code: 'review-open',
        hint: 'Close the round first; reviewers stay blind until then.',
      });
    return round;
  }

  private async analysisInput(round: StoredRound): Promise<AnalysisInput> {
    const experiment = await this.deps.experiments.get({ id: round.experimentId });
    const primary = experiment.spec.metrics[0] as MetricSpec;
    const higher = METRIC_DIRECTION[primary.kind] === 'higher';
    const reviewerNames = new Map(round.spec.reviewerIds.map((id) => [id, this.deps.users.user(id)?.name ?? id]));
    return {
      roundId: round.id,
      mode: round.spec.mode,
      seed: round.spec.seed ?? 0,
      plan: round.plan,
      votes: this.store().votes(round.id),
      names: this.names(round, experiment),
      reviewerNames,
      resamples: this.deps.resamples ?? 1000,
      metric: {
        label: metricLabel(primary),
        better: (a, b) => (a === b ? null : a > b === higher ? 'a' : 'b'),
        pass: (s) =>
          METRIC_BINARY[primary.kind]
            ? s >= 1
            : primary.threshold === undefined
              ? null
              : higher
                ? s >= primary.threshold
                : s <= primary.threshold,
      },
    };
  }

  private names(round: StoredRound, experiment?: Experiment): Map<string, string> {
    return new Map(
      round.spec.specializationIds.map((id) => [
        id,
        this.deps.specializationName(id) ?? experiment?.cells.find((c) => c.specializationId === id)?.label ?? id,
      ]),
    );
  }

  private async candidates(experiment: Experiment, spec: CreateRound): Promise<CandidateRow[]> {
    const { rows } = await this.deps.experiments.outputs({
      id: experiment.id,
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
      filter: 'all',
    });
    const col = new Map(experiment.cells.map((c, i) => [c.specializationId, i]));
    const data = spec.sample.kind === 'stratified' ? this.deps.examples(experiment) : [];
    const field = spec.sample.kind === 'stratified' ? spec.sample.field : null;
    if (field !== null && !data.some((d) => field in d.data))
      throw new UserError(`The dataset has no field "${field}"`, { code: 'review-field', where: 'sample.field' });
    return rows.map((r) => {
      const value = field === null ? undefined : data[r.exampleIdx]?.data[field];
      return {
        exampleIdx: r.exampleIdx,
        key: r.key,
        input: r.input,
        stratum:
          value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value),
        outputs: Object.fromEntries(
          spec.specializationIds.map((id) => {
            const o = r.outputs[col.get(id) as number];
            return [id, { text: o?.text ?? null, score: o?.score ?? null }];
          }),
        ),
      };
    });
  }

  private async experimentName(id: string): Promise<string> {
    try {
      return (await this.deps.experiments.get({ id })).name;
    } catch {
      return '(removed experiment)';
    }
  }

  private summary(r: StoredRound, store: ReviewStore): RoundSummary {
    const done = [...store.doneCounts(r.id).values()].reduce((s, v) => s + v, 0);
    return {
      id: r.id,
      name: r.name,
      mode: r.spec.mode,
      state: r.state,
      tags: r.spec.tags,
      reviewerIds: r.spec.reviewerIds,
      assigned: Object.values(r.plan.queues).reduce((s, q) => s + q.length, 0),
      done,
      createdAt: r.createdAt,
      closedAt: r.closedAt,
    };
  }

  /** A reviewer's view of a round: no other reviewer's id or progress. */
  private reviewerSummary(r: StoredRound, store: ReviewStore, reviewerId: string): RoundSummary {
    return {
      ...this.summary(r, store),
      reviewerIds: [reviewerId],
      assigned: r.plan.queues[reviewerId]?.length ?? 0,
      done: store.doneCounts(r.id).get(reviewerId) ?? 0,
    };
  }

  private full(r: StoredRound, experimentName: string): Round {
    const store = this.store();
    const done = store.doneCounts(r.id);
    return {
      ...this.summary(r, store),
      spec: { ...r.spec, seed: r.state === 'closed' ? (r.spec.seed ?? 0) : null },
      experimentName,
      units: r.plan.units.length,
      specializations: [...this.names(r)].map(([id, name]) => ({ id, name })),
      perReviewer: r.spec.reviewerIds.map((reviewerId) => ({
        reviewerId,
        assigned: r.plan.queues[reviewerId]?.length ?? 0,
        done: done.get(reviewerId) ?? 0,
      })),
    };
  }

  /** The caller, when their role may organise rounds (every role but reviewer, as the Review section shows). */
  private organiser(ctx: CallContext, action: string): User {
    const caller = this.caller(ctx);
    if (caller.role === 'reviewer') {
      throw new UserError(`${caller.name} is a reviewer: reviewers cannot ${action}`, {
        code: 'forbidden',
        hint: 'Switch to an editor, analyst or admin in the top bar.',
      });
    }
    return caller;
  }

  private caller(ctx: CallContext): User {
    const userId = ctx.userId ?? ctx.reviewerLink?.userId;
    if (userId !== undefined) {
      const user = this.deps.users.user(userId);
      if (!user) throw new UserError(`No user ${userId} in this workspace`, { code: 'not-found' });
      return user;
    }
    return this.deps.users.currentUser();
  }

  private find(id: string): StoredRound {
    const round = this.store().byId(id);
    if (!round)
      throw new UserError(`No review round ${id} in this workspace`, {
        code: 'not-found',
        where: id,
        hint: 'It may have been removed; reload the list.',
      });
    return round;
  }

  private store(): ReviewStore {
    return new ReviewStore(this.deps.workspace.active.db);
  }
}

/** The sidecar: which file it describes, then the round's lineage manifest. */
export function lineageSidecar(describes: string, manifest: LineageManifest): string {
  return JSON.stringify({ schema: 'dovetail.review-export-lineage/1', describes, lineage: manifest }, null, 1) + '\n';
}

function notAssigned(): UserError {
  return new UserError('This item is not in your queue', { code: 'review-not-assigned', hint: 'Reload the queue.' });
}
