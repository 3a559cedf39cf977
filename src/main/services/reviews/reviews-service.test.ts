// The reviews service over a real workspace db (migrations included) with a fixture experiment: blinding checked on
// the raw JSON of every reviewer-facing answer, votes and undo, results refused while open, and the statistics,
// agreement and exports of a closed round with known votes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../shared/contract/define';
import type { DatasetLineage } from '../../../shared/contract/datasets';
import type { Experiment, OutputRow } from '../../../shared/contract/experiments';
import { CreateRound, VoteArg, type ReviewItem } from '../../../shared/contract/reviews';
import { reviewsContract } from '../../../shared/contract/reviews';
import { UserError } from '../../../shared/errors';
import { Dispatcher } from '../../api/dispatcher';
import { startShareServer } from '../../host/review-share-server';
import { Database, workspaceMigrations } from '../../platform/db';
import { DatasetsService } from '../datasets';
import { PrivacyService } from '../privacy';
import { UsersService } from '../users';
import type { WorkspaceAccess } from '../workspace';
import { ReviewsService, type ImportDatasetArg, type OpenShareServer } from './reviews-service';

const SPECS = [
  { id: 'spec-alpha-0001', name: 'Alpha Secret Bundle', label: 'cell-label-alpha', hash: 'hash-aaaa' },
  { id: 'spec-bravo-0002', name: 'Bravo Secret Bundle', label: 'cell-label-bravo', hash: 'hash-bbbb' },
  { id: 'spec-charlie-03', name: 'Charlie Secret Bundle', label: 'cell-label-charlie', hash: 'hash-cccc' },
];
const FORBIDDEN = SPECS.flatMap((s) => [s.id, s.name, s.label, s.hash]);

const experiment: Experiment = {
  id: 'exp-1',
  name: 'Fixture experiment',
  spec: {
    name: 'Fixture experiment',
    datasetVersionId: 'dv',
    split: 'test',
    limit: null,
    design: { kind: 'compare', specializationIds: SPECS.map((s) => s.id) },
    metrics: [{ kind: 'exact_match' } as Experiment['spec']['metrics'][number]],
    seed: 0,
    batchSize: 8,
    budget: null,
  },
  cells: SPECS.map((s) => ({ specializationId: s.id, label: s.label, components: [], mask: null })),
  state: 'completed',
  progress: null,
  error: null,
  createdAt: '',
  updatedAt: '',
};

// Alpha is right (score 1) everywhere; Bravo on even rows; Charlie never.
const outputRows: OutputRow[] = Array.from({ length: 30 }, (_, i) => ({
  exampleIdx: i,
  key: `row-${i}`,
  input: { question: `What is ${i}?` },
  reference: `${i}`,
  outputs: SPECS.map((_, c) => {
    const right = c === 0 || (c === 1 && i % 2 === 0);
    return {
      text: right ? `${i}` : `wrong ${c} ${i}`,
      score: right ? 1 : 0,
      finishReason: 'stop',
      promptTokens: 3,
      generatedTokens: 2,
      timeToFirstTokenMs: 1,
      totalMs: 2,
    };
  }),
  disagree: true,
  failed: true,
}));

let dir: string;
let db: Database;
let users: UsersService;
let reviews: ReviewsService;
let privacy: PrivacyService;
let clock = 0;
let imported: { arg: ImportDatasetArg; lineage: DatasetLineage; text: string }[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-reviews-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  const workspace = { active: { info: { id: 'ws', path: dir }, db } } as unknown as WorkspaceAccess;
  imported = [];
  // A stand-in for the built renderer (out/renderer) that the share server serves to remote reviewers.
  fs.mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'renderer', 'assets', 'index-abc.js'), 'console.log(1)');
  const noEvents = { emit: () => undefined };
  let n = 0;
  users = new UsersService({ workspace, events: noEvents, clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, n++)) });
  privacy = new PrivacyService({
    workspace,
    datasets: new DatasetsService({ workspace, events: noEvents, clock: () => new Date() }),
    events: noEvents,
    clock: () => new Date(),
  });
  reviews = new ReviewsService({
    privacyCheck: async (moment, subject, rows) =>
      (await privacy.guardRows(moment, subject, rows, 'Redact the dataset.')).warning,
    workspace,
    users,
    events: noEvents,
    clock: () => new Date(Date.UTC(2026, 0, 2) + clock++ * 1000),
    resamples: 200,
    experiments: {
      get: async ({ id }) => {
        if (id !== experiment.id) throw new Error('no such experiment');
        return experiment;
      },
      outputs: async () => ({ total: outputRows.length, rows: outputRows }),
    },
    examples: () =>
      outputRows.map((r) => ({ data: { ...r.input, topic: r.exampleIdx % 3 === 0 ? 'maths' : 'other' } })),
    specializationName: (id) => SPECS.find((s) => s.id === id)?.name,
    importDataset: async (arg, lineage) => {
      imported.push({ arg, lineage, text: fs.readFileSync(arg.files[0]!.path, 'utf8') });
      return { version: { id: 'dv-new', datasetId: 'ds-new' } };
    },
    openShareServer: async (request, resolve): Promise<OpenShareServer> =>
      startShareServer(
        new Dispatcher({ reviews: reviewsContract }, { reviews }, { validateResults: true }) as never,
        resolve,
        { ...request, rendererDir: path.join(dir, 'renderer') },
      ),
  });
});
afterEach(async () => {
  await reviews.dispose();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setup(over: Record<string, unknown> = {}) {
  const owner = (await users.current())!;
  await users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
  const ann = await users.create({ name: 'Ann', role: 'reviewer' });
  const bob = await users.create({ name: 'Bob', role: 'reviewer' });
  const round = await reviews.createRound(
    CreateRound.parse({
      name: 'Round one',
      experimentId: experiment.id,
      specializationIds: SPECS.slice(0, 2).map((s) => s.id),
      reviewerIds: [ann.id, bob.id],
      itemsPerReviewer: 10,
      overlap: 2,
      tags: ['wrong', 'verbose'],
      repeatShare: 0.2,
      seed: 11,
      ...over,
    }),
    ctxOf(owner.id),
  );
  return { owner, ann, bob, round };
}
const ctxOf = (userId: string): CallContext => ({ transport: 'test', userId });

/** Throws when a raw answer names a specialization in any way. */
function expectBlind(result: unknown): void {
  const raw = JSON.stringify(result);
  for (const s of FORBIDDEN) expect(raw, `a reviewer-facing answer contains ${s}`).not.toContain(s);
}

describe('reviews', () => {
  it('never shows a reviewer which specialization made an output before the round closes', async () => {
    const { ann, bob, round } = await setup({ specializationIds: SPECS.map((s) => s.id) });
    for (const reviewer of [ann, bob]) {
      const ctx = ctxOf(reviewer.id);
      const queue = await reviews.queue({ roundId: round.id }, ctx);
      expectBlind(queue);
      expectBlind(await reviews.list());
      expect(queue.items).toHaveLength(12);
      for (const [i, entry] of queue.items.entries()) {
        const item = await reviews.item({ roundId: round.id, itemId: entry.itemId }, ctx);
        expectBlind(item);
        expect(item.position).toBe(i);
        expectBlind(
          await reviews.vote(
            VoteArg.parse({
              roundId: round.id,
              itemId: entry.itemId,
              verdict: i % 2 ? 'left' : 'right',
              tags: ['wrong'],
            }),
            ctx,
          ),
        );
      }
      expectBlind(await reviews.undo({ roundId: round.id }, ctx));
      expectBlind(await reviews.queue({ roundId: round.id }, ctx));
      await expect(reviews.get({ id: round.id }, ctx)).rejects.toThrow(/blinded/);
      await expect(reviews.results({ id: round.id })).rejects.toThrow(/once the round is closed/);
      await expect(reviews.export({ id: round.id, format: 'csv' })).rejects.toThrow(/once the round is closed/);
    }
  });

  it('shows sides per reviewer, takes votes only from assignees and undoes the latest', async () => {
    const { owner, ann, round } = await setup();
    const ctx = ctxOf(ann.id);
    await expect(reviews.queue({ roundId: round.id }, ctxOf(owner.id))).rejects.toThrow(/not a reviewer/);
    const queue = await reviews.queue({ roundId: round.id }, ctx);
    const [first, second] = queue.items as unknown as [{ itemId: string }, { itemId: string }];
    await reviews.vote(
      VoteArg.parse({ roundId: round.id, itemId: first.itemId, verdict: 'tie', comment: 'close call', ms: 1200 }),
      ctx,
    );
    await reviews.vote(VoteArg.parse({ roundId: round.id, itemId: second.itemId, verdict: 'left' }), ctx);
    await expect(
      reviews.vote(VoteArg.parse({ roundId: round.id, itemId: second.itemId, verdict: 'pass' }), ctx),
    ).rejects.toThrow(/not a verdict/);
    await expect(
      reviews.vote(VoteArg.parse({ roundId: round.id, itemId: second.itemId, verdict: 'left', tags: ['nope'] }), ctx),
    ).rejects.toThrow(/tags/);
    expect((await reviews.queue({ roundId: round.id }, ctx)).done).toBe(2);
    const undone = (await reviews.undo({ roundId: round.id }, ctx)) as ReviewItem;
    expect(undone.itemId).toBe(second.itemId);
    expect(undone.vote).toBeNull();
    const kept = await reviews.item({ roundId: round.id, itemId: first.itemId }, ctx);
    expect(kept.vote).toMatchObject({ verdict: 'tie', comment: 'close call', ms: 1200 });
    expect(kept.right).not.toBeNull();
    const organiser = await reviews.get({ id: round.id }, ctxOf(owner.id));
    expect(organiser.specializations.map((s) => s.name)).toEqual(['Alpha Secret Bundle', 'Bravo Secret Bundle']);
    expect(organiser.perReviewer.find((p) => p.reviewerId === ann.id)).toMatchObject({ assigned: 12, done: 1 });
  });

  it('reports win rates, agreement, bias, consistency, tags and metric agreement once closed, and exports the votes', async () => {
    const { owner, ann, bob, round } = await setup({ sample: { kind: 'stratified', field: 'topic' } });
    // Both reviewers always pick the output that matches the reference (Alpha's on odd rows; a tie when both match).
    for (const reviewer of [ann, bob]) {
      const ctx = ctxOf(reviewer.id);
      for (const entry of (await reviews.queue({ roundId: round.id }, ctx)).items) {
        const item = await reviews.item({ roundId: round.id, itemId: entry.itemId }, ctx);
        const answer = String((item.input as { question: string }).question.match(/\d+/)?.[0]);
        const verdict = item.left === item.right ? 'tie' : item.left === answer ? 'left' : 'right';
        // Ann's comments try spreadsheet formula injection; the CSV export must neutralise them.
        const comment = reviewer === ann ? '=HYPERLINK("http://evil.example","click")' : '';
        await reviews.vote(
          VoteArg.parse({
            roundId: round.id,
            itemId: entry.itemId,
            verdict,
            tags: verdict === 'tie' ? [] : ['wrong'],
            comment,
          }),
          ctx,
        );
      }
    }
    await reviews.close({ id: round.id }, ctxOf(owner.id));
    await expect(
      reviews.vote(VoteArg.parse({ roundId: round.id, itemId: 'x', verdict: 'left' }), ctxOf(ann.id)),
    ).rejects.toThrow(/closed/);
    const r = await reviews.results({ id: round.id });
    expect(r.n).toBe(20);
    const [pair] = r.winRates;
    expect(pair).toMatchObject({ a: 'Alpha Secret Bundle', b: 'Bravo Secret Bundle', n: 20, winsB: 0 });
    expect(pair!.winsA + pair!.ties).toBe(20);
    expect(pair!.ciA[0]).toBeLessThan(pair!.rateA);
    expect(r.agreement).toEqual({ method: 'cohen-kappa', value: 1, units: 10 });
    expect(r.perReviewer.map((p) => p.agreeRate.rate)).toEqual([1, 1]);
    expect(r.selfConsistency).toMatchObject({ rate: 1, n: 4 });
    // Decisive judgments (first showings and repeats) split between sides only by the seeded side assignment.
    expect(r.positionBias.n).toBeGreaterThanOrEqual(pair!.winsA);
    expect(r.positionBias.rate).toBeGreaterThan(0);
    expect(r.positionBias.rate).toBeLessThan(1);
    expect(r.tags.find((t) => t.name === 'Bravo Secret Bundle')?.counts.wrong).toBe(pair!.winsA);
    expect(r.tags.find((t) => t.name === 'Alpha Secret Bundle')?.counts.wrong).toBeUndefined();
    // The same tags as failure categories: each on the output not preferred (Bravo's), by example.
    const tagged = reviews.tagsOf(experiment.id);
    expect(tagged.length).toBeGreaterThanOrEqual(pair!.winsA);
    expect(new Set(tagged.map((t) => `${t.specializationId}:${t.tag}`))).toEqual(new Set(['spec-bravo-0002:wrong']));
    expect(r.metricAgreement).toMatchObject({ rate: 1, n: pair!.winsA });
    expect(r.bradleyTerry).toBeNull();

    const battles = JSON.parse((await reviews.export({ id: round.id, format: 'fastchat' })).text) as {
      model_a: string;
      model_b: string;
      winner: string;
    }[];
    expect(battles).toHaveLength(24);
    for (const b of battles) {
      expect(['model_a', 'model_b', 'tie']).toContain(b.winner);
      if (b.winner !== 'tie') expect(b.winner === 'model_a' ? b.model_a : b.model_b).toBe('Alpha Secret Bundle');
    }
    // Closing the loop: the preferred (here: the correct) output of each decided item becomes a reference.
    const made = await reviews.toDataset({ id: round.id, newName: 'Preferred answers' }, ctxOf(owner.id));
    // Drawn from the test split the experiment evaluates: every row stays in test (none reaches training), and says so.
    expect(made).toEqual({
      datasetVersionId: 'dv-new',
      datasetId: 'ds-new',
      rows: pair!.winsA / 2,
      heldOut: pair!.winsA / 2,
      warnings: [expect.stringMatching(/^All \d+ rows were drawn from the test split .* kept in the test split/)],
    });
    const [{ arg, lineage, text }] = imported as [{ arg: ImportDatasetArg; lineage: DatasetLineage; text: string }];
    expect(arg.split).toEqual({ kind: 'given' });
    expect(arg.files.map((f) => f.split)).toEqual(['test']);
    expect(arg.message).toContain(round.id);
    // The round is the new version's lineage (a field of the version, not only text in its rows and message).
    expect(lineage).toEqual({
      kind: 'review-round',
      roundId: round.id,
      roundName: 'Round one',
      experimentId: experiment.id,
    });
    expect(arg.mapping.find((m) => m.role === 'reference')?.name).toBe('preferred_output');
    for (const line of text.trim().split('\n')) {
      const row = JSON.parse(line) as { question: string; preferred_output: string; review_round: string };
      expect(row.preferred_output).toBe(row.question.match(/\d+/)?.[0]);
      expect(row.review_round).toBe(round.id);
    }
    const csv = (await reviews.export({ id: round.id, format: 'csv' })).text.trim().split('\n');
    expect(csv[0]).toBe('question_id,model_a,model_b,winner,judge,tags,comment,ms,repeat,tstamp');
    expect(csv).toHaveLength(25);
    const commented = csv.filter((line) => line.includes('HYPERLINK'));
    expect(commented.length).toBeGreaterThan(0);
    for (const line of commented) expect(line).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
  });

  it('ranks three or more specializations with Bradley-Terry', async () => {
    const { owner, ann, bob, round } = await setup({
      specializationIds: SPECS.map((s) => s.id),
      itemsPerReviewer: 15,
      repeatShare: 0,
    });
    for (const reviewer of [ann, bob]) {
      const ctx = ctxOf(reviewer.id);
      for (const entry of (await reviews.queue({ roundId: round.id }, ctx)).items) {
        const item = await reviews.item({ roundId: round.id, itemId: entry.itemId }, ctx);
        // Prefer the shorter output: the reference answer < "wrong 1 i" ties with "wrong 2 i" by length -> tie.
        const verdict =
          item.left.length === (item.right ?? '').length
            ? 'tie'
            : item.left.length < (item.right ?? '').length
              ? 'left'
              : 'right';
        await reviews.vote(VoteArg.parse({ roundId: round.id, itemId: entry.itemId, verdict }), ctx);
      }
    }
    await reviews.close({ id: round.id }, ctxOf(owner.id));
    const r = await reviews.results({ id: round.id });
    expect(r.bradleyTerry?.[0]?.name).toBe('Alpha Secret Bundle');
    expect(r.bradleyTerry).toHaveLength(3);
    for (const p of r.bradleyTerry ?? []) expect(p.ci[0]).toBeLessThanOrEqual(p.strength);
    expect(r.winRates).toHaveLength(3);
  });
});

describe('roles', () => {
  it('refuses organiser actions to a reviewer, naming the role, with a hint', async () => {
    const { owner, ann, round } = await setup();
    const asAnn = ctxOf(ann.id);
    const spec = CreateRound.parse({
      name: 'Mine',
      experimentId: experiment.id,
      specializationIds: SPECS.slice(0, 2).map((s) => s.id),
      reviewerIds: [ann.id],
      itemsPerReviewer: 2,
    });
    const attempts: [string, () => Promise<unknown>][] = [
      ['create review rounds', () => reviews.createRound(spec, asAnn)],
      [
        'share review rounds',
        () => reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, asAnn),
      ],
      ['revoke review links', () => reviews.revokeShare({ roundId: round.id, reviewerId: ann.id }, asAnn)],
      ['close review rounds', () => reviews.close({ id: round.id }, asAnn)],
    ];
    for (const [action, attempt] of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, action).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('forbidden');
      expect((error as UserError).message).toBe(`Ann is a reviewer: reviewers cannot ${action}`);
      expect((error as UserError).hint).toMatch(/editor, analyst or admin/);
    }
    expect((await reviews.list()).map((r) => r.name)).toEqual(['Round one']);
    await reviews.close({ id: round.id }, ctxOf(owner.id));
    await expect(reviews.toDataset({ id: round.id, newName: 'Nope' }, asAnn)).rejects.toThrow(
      'Ann is a reviewer: reviewers cannot make datasets from review rounds',
    );
    expect(imported).toEqual([]);
    // An analyst organises (the Review section offers it to every role but reviewer).
    const ana = await users.create({ name: 'Ana', role: 'analyst' });
    expect((await reviews.createRound({ ...spec, name: 'Analyst round' }, ctxOf(ana.id))).name).toBe('Analyst round');
  });
});

describe('personal data in a round', () => {
  it('warns when sharing and exporting under a warn policy, and refuses both under a block policy', async () => {
    // The workspace's own pattern stands for personal data: the fixture's wrong outputs ("wrong 1 4") match it.
    await privacy.setPolicy({ onFinding: 'block', patterns: [{ name: 'wrong', pattern: 'wrong [0-9]+ [0-9]+' }] });
    const { owner, ann, round } = await setup();
    const share = { roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 };
    await expect(reviews.share(share, ctxOf(owner.id))).rejects.toThrow(
      /^Personal data in review round "Round one": \d+ matches of WRONG in output_[ab].*blocks sharing the round/,
    );
    await privacy.setPolicy({ onFinding: 'warn', patterns: [{ name: 'wrong', pattern: 'wrong [0-9]+ [0-9]+' }] });
    const link = await reviews.share(share, ctxOf(owner.id));
    expect(link.warnings).toEqual([
      expect.stringMatching(
        /^Personal data in review round "Round one": \d+ matches of WRONG in .*Redact the dataset\.$/,
      ),
    ]);
    await reviews.close({ id: round.id }, ctxOf(owner.id));
    expect((await reviews.export({ id: round.id, format: 'csv' })).warnings).toHaveLength(1);
    await privacy.setPolicy({ onFinding: 'block', patterns: [{ name: 'wrong', pattern: 'wrong [0-9]+ [0-9]+' }] });
    await expect(reviews.export({ id: round.id, format: 'csv' })).rejects.toThrow(/blocks exporting/);
    await privacy.setPolicy({ onFinding: 'warn', patterns: [] });
    expect((await reviews.export({ id: round.id, format: 'csv' })).warnings).toEqual([]);
  });
});

describe('sharing a round', () => {
  it("answers only the review calls of one round, as the token's reviewer, until the token is revoked", async () => {
    const { owner, ann, bob, round } = await setup();
    await expect(
      reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, ctxOf(ann.id)),
    ).rejects.toThrow(/cannot share/);
    const link = await reviews.share(
      { roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 },
      ctxOf(owner.id),
    );
    const bobs = await reviews.share(
      { roundId: round.id, reviewerId: bob.id, host: '127.0.0.1', port: 0 },
      ctxOf(owner.id),
    );
    expect(bobs.port).toBe(link.port);
    const post = async (route: string, body: unknown, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${link.port}/api/call/${route}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: token ? { 'x-dovetail-token': token } : {},
      });
      return { status: res.status, text: await res.text() };
    };
    const queue = await post('reviews/queue', { roundId: round.id }, link.token);
    expect(queue.status).toBe(200);
    expectBlind(JSON.parse(queue.text));
    const answer = JSON.parse(queue.text) as { ok: boolean; result: { items: { itemId: string }[] } };
    expect(answer.ok).toBe(true);
    // The queue is Ann's (the token's reviewer), whoever the app's current user is.
    expect(answer.result.items.map((i) => i.itemId)).toEqual(
      (await reviews.queue({ roundId: round.id }, ctxOf(ann.id))).items.map((i) => i.itemId),
    );
    const itemId = answer.result.items[0]!.itemId;
    expect((await post('reviews/vote', { roundId: round.id, itemId, verdict: 'left' }, link.token)).status).toBe(200);
    expect((await reviews.queue({ roundId: round.id }, ctxOf(ann.id))).done).toBe(1);

    expect((await post('reviews/queue', { roundId: round.id })).status).toBe(401);
    expect((await post('reviews/queue', { roundId: round.id }, 'not-a-token')).status).toBe(401);
    expect((await post('reviews/queue', { roundId: 'another-round' }, link.token)).status).toBe(403);
    for (const route of [
      'reviews/results',
      'reviews/get',
      'reviews/list',
      'experiments/list',
      'users/list',
      'app/info',
    ]) {
      expect((await post(route, { id: round.id }, link.token)).status, route).toBe(404);
    }
    // The renderer's files (portal mode) are public, with the app's CSP; nothing else is served or upgraded.
    const page = await fetch(`http://127.0.0.1:${link.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`http://127.0.0.1:${link.port}/assets/index-abc.js`)).headers.get('content-type')).toMatch(
      /javascript/,
    );
    for (const route of [
      '/review',
      '/assets/missing.js',
      '/%2e%2e/ws.sqlite',
      '/ws.sqlite',
      '/api/events',
      '/api/call/reviews/queue',
    ]) {
      expect((await fetch(`http://127.0.0.1:${link.port}${route}`)).status, route).toBe(404);
    }
    const upgrade = await fetch(`http://127.0.0.1:${link.port}/api/events`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    }).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(upgrade).not.toBe(101);

    await reviews.revokeShare({ roundId: round.id, reviewerId: ann.id }, ctxOf(owner.id));
    expect((await post('reviews/queue', { roundId: round.id }, link.token)).status).toBe(401);
    expect((await post('reviews/queue', { roundId: round.id }, bobs.token)).status).toBe(200);
    // A new link replaces the old; closing the round ends every link, and the server with them.
    const again = await reviews.share(
      { roundId: round.id, reviewerId: bob.id, host: '127.0.0.1', port: 0 },
      ctxOf(owner.id),
    );
    expect((await post('reviews/queue', { roundId: round.id }, bobs.token)).status).toBe(401);
    expect((await post('reviews/queue', { roundId: round.id }, again.token)).status).toBe(200);
    await reviews.close({ id: round.id }, ctxOf(owner.id));
    await expect(post('reviews/queue', { roundId: round.id }, again.token)).rejects.toThrow(/fetch failed/);
  });
});
