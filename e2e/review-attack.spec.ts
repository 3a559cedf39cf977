// Blind review tried as an insider would, in browser mode with the real engine: a reviewer's share link answers only
// opaque item ids and two texts. From those responses alone the attacker tries to recover which system is on which
// side: by replaying the plan's seeded generator (from small seeds, and from the round's own seed once it is
// revealed at close) to find the item ids in its stream, and by reading sides off any bit of the ids. Nothing beats
// chance. A local reviewer with an open assignment is refused every call that could show who wrote an output.
import { parse } from 'csv-parse/sync';
import { Rng } from '../src/main/eval/stats/prng';
import { expect, test } from './fixtures';
import { apiOk as ok, apiReply as call, datasetVersionId, openDemo, runExperiment } from './fixtures/api';

const OWNER_PASS = 'owner passphrase';
const ELI_PASS = 'eli passphrase';
/**
 * A deviation from 1/2 this many standard errors out has p < 1e-5: over ~100 strategies, no false alarm in practice.
 */
const Z = 4.5;

test('a reviewer link reveals nothing about sides or swaps, and a local reviewer cannot de-blind their round', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(300_000);
  await openDemo(app, page, request, server);

  // An ablation of a template-only specialization: two cells (base model, template) on 120 test rows.
  const versionId = await datasetVersionId(request, server, 'WordNet supersense');
  const [model] = await ok<{ id: string }[]>(request, server, 'models/list');
  const template = await ok<{ id: string }>(request, server, 'templates/save', {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
  });
  const spec = await ok<{ id: string }>(request, server, 'specializations/create', {
    name: 'Supersense template',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });
  const experiment = await runExperiment(request, server, {
    name: 'Attack ablation',
    datasetVersionId: versionId,
    split: 'test',
    limit: 120,
    design: { kind: 'ablation', specializationId: spec.id },
    metrics: [{ kind: 'exact_match' }],
  });
  const cells = (
    await ok<{ cells: { specializationId: string }[] }>(request, server, 'experiments/get', { id: experiment.id })
  ).cells.map((c) => c.specializationId);

  const [owner] = await ok<{ id: string }[]>(request, server, 'users/list');
  await ok(request, server, 'users/setPassphrase', { id: owner!.id, next: OWNER_PASS });
  const ann = await ok<{ id: string }>(request, server, 'users/create', { name: 'Ann', role: 'reviewer' });
  const eli = await ok<{ id: string }>(request, server, 'users/create', {
    name: 'Eli',
    role: 'editor',
    passphrase: ELI_PASS,
  });

  // No seed given: a random one, secret while the round is open.
  const round = await ok<{ id: string; spec: { seed: number | null } }>(request, server, 'reviews/createRound', {
    name: 'Attacked round',
    experimentId: experiment.id,
    specializationIds: cells,
    reviewerIds: [ann.id, eli.id],
    itemsPerReviewer: 60,
    overlap: 1,
    repeatShare: 0.25,
  });
  expect(round.spec.seed).toBeNull();
  expect(
    (await ok<{ spec: { seed: number | null } }>(request, server, 'reviews/get', { id: round.id })).spec.seed,
  ).toBeNull();

  // Ann's link (on loopback), and everything it answers.
  const link = await ok<{ token: string; host: string; port: number; scheme?: string }>(
    request,
    server,
    'reviews/share',
    { roundId: round.id, reviewerId: ann.id, host: '127.0.0.1' },
  );
  const base = `${link.scheme ?? 'http'}://127.0.0.1:${link.port}/api/call/reviews`;
  const viaLink = async <T>(method: string, body: unknown): Promise<T> => {
    const response = await request.post(`${base}/${method}`, {
      data: body,
      headers: { 'x-dovetail-token': link.token },
      ignoreHTTPSErrors: true,
    });
    expect(response.status(), `${method} through the link`).toBe(200);
    return ((await response.json()) as { result: T }).result;
  };
  const queue = await viaLink<{ round: { reviewerIds: string[]; assigned: number }; items: { itemId: string }[] }>(
    'queue',
    { roundId: round.id },
  );
  // Her view names no other reviewer and counts only her own judgments.
  expect(queue.round.reviewerIds).toEqual([ann.id]);
  expect(queue.round.assigned).toBe(queue.items.length);
  expect(queue.items.length).toBe(75); // 60 first showings + 15 swapped repeats (Eli has the other 60 examples)
  const seen: { id: string; left: string; right: string }[] = [];
  for (const { itemId } of queue.items) {
    const item = await viaLink<{ left: string; right: string | null }>('item', { roundId: round.id, itemId });
    seen.push({ id: itemId, left: item.left, right: item.right ?? '' });
    // The comment carries the id so that the export after close gives the truth for each item.
    await viaLink('vote', { roundId: round.id, itemId, verdict: 'left', comment: itemId });
  }

  // Eli reviews in the app: while the round is open every call that could show who wrote an output is refused.
  await ok(request, server, 'users/setCurrent', { id: eli.id, passphrase: ELI_PASS });
  const deblinding: [string, unknown][] = [
    ['experiments/outputs', { id: experiment.id, offset: 0, limit: 10, filter: 'all' }],
    ['experiments/results', { id: experiment.id }],
    ['experiments/example', { id: experiment.id, exampleIdx: 0 }],
    ['reports/generate', { kind: 'experiment', subject: experiment.id }],
    [
      'specializations/try',
      { specializationId: cells[1], fields: { word: 'dog', pos: 'noun', definition: 'a domestic animal' } },
    ],
    ['generation/start', { modelId: model!.id, prompts: [{ mode: 'raw', text: 'dog (noun):' }] }],
    ['templates/run', { versionId: template.id, modelId: model!.id, datasetVersionId: versionId, rowIdx: 0 }],
    ['reviews/get', { id: round.id }],
    ['reviews/results', { id: round.id }],
    ['reviews/export', { id: round.id, format: 'csv' }],
  ];
  for (const [path, arg] of deblinding) {
    const reply = await call(request, server, path, arg);
    expect(reply.ok, `${path} answered a reviewer of an open round`).toBe(false);
    if (!reply.ok)
      expect(['review-blinded', 'review-open'], `${path}: ${reply.error.message}`).toContain(reply.error.code);
  }
  const outputs = await call(request, server, 'experiments/outputs', {
    id: experiment.id,
    offset: 0,
    limit: 10,
    filter: 'all',
  });
  expect(outputs.ok ? '' : outputs.error.message).toMatch(/reviewing "Attacked round" blind/);
  // Ann, a reviewer by role, reaches nothing but her queue in the app either.
  await ok(request, server, 'users/setCurrent', { id: ann.id });
  for (const path of ['experiments/list', 'specializations/list', 'datasets/list']) {
    const reply = await call(request, server, path);
    expect(reply.ok ? '' : reply.error.code, path).toBe('forbidden');
  }

  // The organiser closes the round: the seed and the truth come out.
  await ok(request, server, 'users/setCurrent', { id: owner!.id, passphrase: OWNER_PASS });
  const closed = await ok<{ spec: { seed: number | null } }>(request, server, 'reviews/close', { id: round.id });
  const seed = closed.spec.seed;
  expect(typeof seed).toBe('number');
  const csv = (await ok<{ text: string }>(request, server, 'reviews/export', { id: round.id, format: 'csv' })).text;
  const names = await ok<{ id: string; name: string }[]>(request, server, 'specializations/list');
  const first = names.find((s) => s.id === cells[0])!.name;
  const leftIsFirst = new Map<string, boolean>();
  for (const row of parse(csv, { columns: true }) as { model_a: string; comment: string }[]) {
    leftIsFirst.set(row.comment.replace(/^'/, ''), row.model_a === first); // the export neutralises a leading '-'
  }
  expect(leftIsFirst.size).toBe(seen.length);

  // Attack 1: replay the plan's generator (the plan's stream is Rng(seed, 8)) from the revealed seed and from every
  // seed below 2,000, looking for any two consecutive 32-bit words of an item id among two consecutive draws of the
  // first 4,096 (64 bits: a chance match has odds of about 1 in 10^10 here; ids drawn from that stream match at once).
  const pairs = new Set<string>();
  for (const { id } of seen) {
    const hex = Buffer.from(id, 'base64url').toString('hex');
    for (let at = 0; at + 16 <= hex.length; at += 8) pairs.add(hex.slice(at, at + 16));
  }
  let found = 0;
  for (const candidate of [seed as number, ...Array.from({ length: 2000 }, (_, i) => i)]) {
    const rng = new Rng(candidate, 8);
    let previous = '';
    for (let k = 0; k < 4096; k++) {
      const word = rng.nextUint32().toString(16).padStart(8, '0');
      if (pairs.has(previous + word)) found++;
      previous = word;
    }
  }
  expect(found).toBe(0);

  // Attack 2: read the side off the ids: every bit, the ids' sort order, and their first character.
  const truth = seen.map((s) => leftIsFirst.get(s.id) as boolean);
  const n = truth.length;
  const bound = Z * Math.sqrt(0.25 / n);
  const accuracy = (guess: boolean[]): number => guess.filter((g, i) => g === truth[i]).length / n;
  const strategies: [string, boolean[]][] = [];
  const bytes = seen.map((s) => Buffer.from(s.id, 'base64url'));
  for (let bit = 0; bit < 96; bit++)
    strategies.push([`bit ${bit}`, bytes.map((b) => ((b[bit >> 3] as number) >> (bit & 7)) % 2 === 1)]);
  const sorted = [...seen].sort((a, b) => a.id.localeCompare(b.id)).map((s) => s.id);
  strategies.push(['sort order', seen.map((s) => sorted.indexOf(s.id) < n / 2)]);
  strategies.push(['first character', seen.map((s) => s.id.charCodeAt(0) % 2 === 1)]);
  for (const [name, guess] of strategies) expect(Math.abs(accuracy(guess) - 0.5), name).toBeLessThan(bound);
  // The truth itself is not degenerate: both systems appear on the left.
  expect(new Set(truth).size).toBe(2);
});
