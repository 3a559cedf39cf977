// Blind review in browser mode with the real engine and the demo workspace: an ablation's outputs (made through the
// API, as the Experiments section would), a round created in the UI for two reviewers with overlap; Ann works through
// her queue by keyboard alone in portal mode (the share link served over HTTPS on another address of this machine,
// chosen in the share settings, whose certificate fingerprint the page shows), Bob in the app (as its current user);
// results refused while the round is open and shown once the organiser closes it, and the preferred outputs become a
// dataset version whose lineage names the round; the FastChat export downloads with its lineage sidecar. Every HTTP
// response a reviewer's page receives is scanned raw for the specializations' ids, names, hashes and cell labels.
import fs from 'node:fs';
import os from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type { APIRequestContext, Download } from '@playwright/test';
import { expect, test } from './fixtures';
import type { DovetailServer } from './fixtures/server';
import { DatasetsPage } from './pages/datasets-page';
import { ReviewPage } from './pages/review-page';

async function call<T>(
  request: APIRequestContext,
  server: DovetailServer,
  service: string,
  method: string,
  arg: unknown = {},
): Promise<{ ok: boolean; result: T; error?: unknown }> {
  const response = await request.post(`${server.origin}/api/call/${service}/${method}`, {
    data: arg,
    headers: { 'x-dovetail-token': server.token },
  });
  return (await response.json()) as { ok: boolean; result: T; error?: unknown };
}
async function ok<T>(
  request: APIRequestContext,
  server: DovetailServer,
  service: string,
  method: string,
  arg: unknown = {},
): Promise<T> {
  const body = await call<T>(request, server, service, method, arg);
  if (!body.ok) throw new Error(`${service}.${method} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

const OWNER_PASS = 'owner passphrase';

test('two reviewers judge an overlapping round blind by keyboard; results appear only once it is closed', async ({
  app,
  page,
  server,
  request,
  browser,
}) => {
  test.setTimeout(240_000);
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await expect
    .poll(async () => (await ok<{ name: string }[]>(request, server, 'datasets', 'list')).map((d) => d.name), {
      timeout: 60_000,
    })
    .toContain('WordNet supersense');

  // An experiment with outputs: the ablation of a template-only specialization on 6 test rows.
  const datasets = await ok<{ name: string; versions: { id: string }[] }[]>(request, server, 'datasets', 'list');
  const versionId = datasets.find((d) => d.name === 'WordNet supersense')!.versions[0]!.id;
  const [model] = await ok<{ id: string }[]>(request, server, 'models', 'list');
  const template = await ok<{ id: string }>(request, server, 'templates', 'save', {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
  });
  const spec = await ok<{ id: string }>(request, server, 'specializations', 'create', {
    name: 'Supersense template',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });
  const experiment = await ok<{ id: string }>(request, server, 'experiments', 'create', {
    name: 'Template ablation',
    datasetVersionId: versionId,
    split: 'test',
    limit: 6,
    design: { kind: 'ablation', specializationId: spec.id },
    metrics: [{ kind: 'exact_match' }],
  });
  await ok(request, server, 'experiments', 'run', { id: experiment.id });
  await expect
    .poll(
      async () => (await ok<{ state: string }>(request, server, 'experiments', 'get', { id: experiment.id })).state,
      { timeout: 150_000 },
    )
    .toBe('completed');
  const cells = (
    await ok<{ cells: { specializationId: string; label: string }[] }>(request, server, 'experiments', 'get', {
      id: experiment.id,
    })
  ).cells;
  const all = await ok<{ id: string; name: string; hash: string }[]>(request, server, 'specializations', 'list');
  const identities = all
    .filter((s) => cells.some((c) => c.specializationId === s.id))
    .flatMap((s) => [s.id, s.name, s.hash]);
  identities.push(...cells.map((c) => c.label).filter((l) => l.length > 6)); // 'base' alone is too common a word
  expect(identities.length).toBeGreaterThanOrEqual(6);

  // The Owner (an admin) protects their profile, as adding users requires.
  const [owner] = await ok<{ id: string }[]>(request, server, 'users', 'list');
  await ok(request, server, 'users', 'setPassphrase', { id: owner!.id, next: OWNER_PASS });
  await ok(request, server, 'users', 'create', { name: 'Ann', role: 'reviewer' });
  await ok(request, server, 'users', 'create', { name: 'Bob', role: 'reviewer' });
  await page.reload(); // the top bar's user menu loaded its list before these users existed
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');

  // The owner creates the round: 2 reviewers x 3 items, overlap 2 -> 3 items each judged by both, 1 repeat each. The
  // seed is fixed: the votes below are by side, and a random plan can leave no item with a preferred output (both
  // reviewers split on every item), which the "closing the loop" step needs.
  const review = new ReviewPage(page);
  await app.nav('review').click();
  await review.createRound({
    name: 'Blind round',
    reviewers: ['Ann', 'Bob'],
    items: 3,
    overlap: 2,
    repeatPercent: 34,
    tags: 'wrong label, rambling',
    seed: 1,
  });
  await expect(review.progress).toBeVisible();
  await expect(review.progress.getByTestId('reviewer-progress')).toHaveCount(2);
  const [round] = await ok<{ id: string }[]>(request, server, 'reviews', 'list');

  // Sharing: loopback is the default; the organiser picks another address of this machine, which turns HTTPS on (and
  // keeps it on) and warns that its network can reach it. Only review calls answer there.
  const settings = review.progress.getByTestId('share-settings');
  await expect(settings.getByTestId('share-interface')).toContainText('127.0.0.1');
  await expect(settings.getByTestId('share-https')).not.toBeChecked();
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (lan !== undefined) {
    await settings.getByTestId('share-interface').click();
    await expect(page.getByTestId('share-interface-option').first()).toHaveAttribute('data-address', '127.0.0.1');
    await page.locator(`[data-testid="share-interface-option"][data-address="${lan}"]`).click();
    await expect(settings.getByTestId('share-warning')).toContainText(`can reach ${lan}`);
    await expect(settings.getByTestId('share-https')).toBeChecked();
    await expect(settings.getByTestId('share-https')).toBeDisabled();
  } else {
    await settings.getByTestId('share-https').check(); // a machine with loopback only: HTTPS on loopback still
  }
  const host = lan ?? '127.0.0.1';
  await review.progress.getByTestId('share-create').first().click();
  const link = (await review.progress.getByTestId('share-link').first().textContent()) ?? '';
  const [, port, token] = /^https:\/\/[^/]+:(\d+)\/#round=[^&]+&token=(\S+)$/.exec(link) ?? [];
  expect(link.startsWith(`https://${host}:${port}/`)).toBe(true);
  // The fingerprint shown is the certificate's that a reviewer's browser is given.
  const shown = (await settings.getByTestId('share-fingerprint').textContent()) ?? '';
  expect(shown).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const served = await new Promise<string>((done, fail) => {
    const socket = tlsConnect({ host, port: Number(port), rejectUnauthorized: false }, () => {
      done(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', fail);
  });
  expect(served).toBe(shown);
  const sharedOrigin = `https://${host}:${port}`;
  const shared = (route: string, body: unknown, withToken = true) =>
    request.post(`${sharedOrigin}/api/call/${route}`, {
      data: body,
      headers: withToken ? { 'x-dovetail-token': token! } : {},
      ignoreHTTPSErrors: true,
    });
  const sharedQueue = await shared('reviews/queue', { roundId: round!.id });
  expect(sharedQueue.status()).toBe(200);
  expect(((await sharedQueue.json()) as { result: { items: unknown[] } }).result.items).toHaveLength(4);
  expect((await shared('reviews/queue', { roundId: round!.id }, false)).status()).toBe(401);
  expect((await shared('experiments/list', {})).status()).toBe(404);
  expect((await shared('reviews/results', { id: round!.id })).status()).toBe(404);
  // No event socket and no other service there; the app's files are (they are public).
  expect((await request.get(`${sharedOrigin}/api/events`, { ignoreHTTPSErrors: true })).status()).toBe(404);
  expect((await request.get(`${sharedOrigin}/`, { ignoreHTTPSErrors: true })).status()).toBe(200);
  // Plain HTTP is not served there.
  expect(
    await request.get(`http://${host}:${port}/`).then(
      (r) => r.status(),
      () => 'refused',
    ),
  ).not.toBe(200);

  // Portal mode: Ann opens her link at the other address (her browser accepts the self-signed certificate, as a
  // reviewer would after comparing the fingerprint) and judges her whole queue by keyboard in the React queue.
  const reviewerBrowser = await browser.newContext({ ignoreHTTPSErrors: true });
  const portal = await reviewerBrowser.newPage();
  const portalBodies: Promise<{ url: string; body: string }>[] = [];
  portal.on('response', (r) =>
    portalBodies.push(
      r.text().then(
        (body) => ({ url: r.url(), body }),
        () => ({ url: r.url(), body: '' }),
      ),
    ),
  );
  await portal.goto(link);
  const annPortal = new ReviewPage(portal);
  await expect(annPortal.queue).toBeVisible();
  await expect(portal.getByTestId('portal-round')).toHaveText('Blind round');
  expect(portal.url()).toBe(`${sharedOrigin}/`); // the fragment (round and token) is gone from the address bar
  await judgeByKeyboard(annPortal, 'Ann');
  await expect(portal.getByTestId('portal-progress')).toHaveText('4 / 4 judged');
  await expect(portal.getByTestId('nav-review')).toHaveCount(0); // the queue only: no app shell
  await reviewerBrowser.close();
  const portalResponses = await Promise.all(portalBodies);
  expect(portalResponses.every((r) => r.url.startsWith(sharedOrigin))).toBe(true);
  expect(portalResponses.filter((r) => r.url.includes('/api/call/reviews/item')).length).toBeGreaterThanOrEqual(4);
  for (const { url, body } of portalResponses) {
    for (const identity of identities) expect(body, `${url} names a specialization`).not.toContain(identity);
  }
  await review.progress.getByTestId('share-revoke').first().click();
  await expect(review.progress.getByTestId('share-link')).toHaveCount(0);
  // Ann's was the only live link: the share server closed with it.
  await expect(shared('reviews/queue', { roundId: round!.id })).rejects.toThrow(/ECONNREFUSED/);

  // Raw responses while a reviewer is the current user.
  let reviewerPhase = false;
  const seen: Promise<{ url: string; body: string }>[] = [];
  page.on('response', (response) => {
    if (reviewerPhase && response.url().includes('/api/'))
      seen.push(
        response.text().then(
          (body) => ({ url: response.url(), body }),
          () => ({ url: response.url(), body: '' }),
        ),
      );
  });

  // Ann's votes from the other machine arrived: in the app her queue is done.
  reviewerPhase = true;
  await review.switchUser('Ann');
  await expect(review.id('queue-progress')).toHaveText('4 / 4 done');
  await expect(review.id('queue-done')).toBeVisible();
  // Bob judges in the app, as its current user.
  await review.switchUser('Bob');
  await expect(review.id('queue-progress')).toHaveText('0 / 4 done'); // Bob's queue, not Ann's finished one
  // A reviewer sees only the review queue.
  await expect(page.getByTestId('nav-review')).toBeVisible();
  await expect(page.getByTestId('nav-experiments')).toHaveCount(0);
  await judgeByKeyboard(review, 'Bob');
  // Still open: the results are refused (to anyone), and the reviewer never sees them.
  const refused = await call(request, server, 'reviews', 'results', { id: round!.id });
  expect(refused.ok).toBe(false);
  await expect(review.results).toHaveCount(0);
  reviewerPhase = false;

  const bodies = await Promise.all(seen);
  expect(bodies.some((b) => b.url.includes('/reviews/item'))).toBe(true);
  for (const { url, body } of bodies) {
    for (const identity of identities) expect(body, `${url} names a specialization`).not.toContain(identity);
  }

  await review.switchUser('Owner', OWNER_PASS);
  await expect(page.getByTestId('nav-experiments')).toBeVisible();
  await expect(review.progress).toBeVisible();
  await expect(review.progress.getByTestId('reviewer-progress')).toHaveText([/Ann\s*4 \/ 4/, /Bob\s*4 \/ 4/]);
  await review.id('round-close').click();
  await review.id('round-close-confirm').click(); // closing is irreversible, so it asks first
  await expect(review.results).toBeVisible();
  await expect(review.results.getByTestId('win-rate-row')).toHaveCount(1);
  await expect(review.results.getByTestId('win-rate-row')).toContainText('Supersense template');
  await expect(review.results.getByTestId('win-rate-chart')).toHaveAttribute('data-bars', '1');
  await expect(review.results.getByTestId('agreement-overall')).toContainText("Cohen's kappa");
  await expect(review.results.getByTestId('agreement-overall')).toContainText('on 3 items');
  await expect(review.results.getByTestId('reviewer-agreement')).toHaveCount(2);
  await expect(review.results.getByTestId('self-consistency')).toContainText('n = 2');
  await expect(review.results.getByTestId('position-bias')).toContainText('n =');
  await expect(review.results.getByTestId('metric-agreement')).toContainText('agrees with the reviewers');
  // The portal's votes reached the organiser, tag and comment included.
  const csv = await ok<{ text: string }>(request, server, 'reviews', 'export', { id: round!.id, format: 'csv' });
  expect(csv.text).toMatch(/,Ann,rambling,Ann was here,/);
  expect(csv.text).toMatch(/,Bob,rambling,Bob was here,/);
  await review.results.getByTestId('loop-make').click();
  await expect(review.results.getByTestId('loop-done')).toBeVisible();
  await expect
    .poll(async () => (await ok<{ name: string }[]>(request, server, 'datasets', 'list')).map((d) => d.name))
    .toContain('Preferred outputs of Blind round');
  // Lineage: the version names the round as a field, and the Datasets screen links back to the round's results.
  const made = (await ok<{ name: string; versions: { id: string }[] }[]>(request, server, 'datasets', 'list')).find(
    (d) => d.name === 'Preferred outputs of Blind round',
  )!;
  const madeVersion = await ok<{ lineage: unknown }>(request, server, 'datasets', 'get', {
    versionId: made.versions[0]!.id,
  });
  expect(madeVersion.lineage).toEqual({
    kind: 'review-round',
    roundId: round!.id,
    roundName: 'Blind round',
    experimentId: experiment.id,
  });
  const datasetsPage = new DatasetsPage(page);
  await app.nav('datasets').click();
  await datasetsPage.item('Preferred outputs of Blind round').getByTestId('dataset-version-item').first().click();
  await expect(datasetsPage.fact('lineage')).toContainText('From review round "Blind round"');
  await datasetsPage.fact('lineage').getByTestId('dataset-lineage-link').click();
  await expect(app.nav('review')).toHaveAttribute('aria-current', 'page');
  await expect(review.results).toBeVisible();
  // The battles download as FastChat reads them, and their lineage beside them as a second file.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await review.results.getByTestId('export-fastchat').click();
  await expect
    .poll(() => downloads.map((d) => d.suggestedFilename()))
    .toEqual(['blind-round-battles.json', 'blind-round-battles.json.lineage.json']);
  const battles = JSON.parse(await fs.promises.readFile(await downloads[0]!.path(), 'utf8')) as unknown[];
  expect(Array.isArray(battles) && battles.length).toBeGreaterThan(0);
  const sidecar = JSON.parse(await fs.promises.readFile(await downloads[1]!.path(), 'utf8')) as {
    describes: string;
    lineage: { objects: { kind: string; name: string; hash: string | null }[] };
  };
  expect(sidecar.describes).toBe('blind-round-battles.json');
  expect(sidecar.lineage.objects.find((o) => o.kind === 'datasetVersion')?.hash).toMatch(/^[0-9a-f]{64}$/);
  // The round's report, made from its page: the same win rates the page shows, by specialization names.
  downloads.length = 0;
  await review.results.getByTestId('review-export-report').click();
  await page.getByTestId('review-export-report-json').click();
  await expect.poll(() => downloads.length).toBe(1);
  const report = JSON.parse(await fs.promises.readFile(await downloads[0]!.path(), 'utf8')) as {
    kind: string;
    title: string;
    blocks: { type: string; id?: string; rows?: (string | number | null)[][] }[];
  };
  expect([report.kind, report.title]).toEqual(['review', 'Blind round']);
  expect(JSON.stringify(report.blocks.find((b) => b.id === 'win-rates')?.rows)).toContain('Supersense template');
});

/**
 * One reviewer's whole queue (4 items) by keyboard alone, in the app or in portal mode (the same QueueView): a tag (T)
 * and a comment (C), a vote, undo and the vote again, J/K back and forth, word diff (D) on, then the rest, the last
 * with a tag and a comment that stay.
 */
async function judgeByKeyboard(review: ReviewPage, reviewer: string): Promise<void> {
  await expect(review.id('queue-position')).toHaveText('Item 1 of 4');
  const kb = review.page.keyboard;
  const first = await review.itemId();
  // T: tag with the keyboard; C: a comment; then vote, undo, and vote again.
  await kb.press('t');
  await expect(review.id('tags-dialog')).toBeVisible();
  await kb.press('1');
  await kb.press('Enter');
  await expect(review.id('tags-dialog')).toBeHidden();
  await expect(review.id('item-tag')).toHaveText(['wrong label']);
  await kb.press('c');
  await review.id('comment-text').fill(`${reviewer} was here`);
  await kb.press('Enter');
  await expect(review.id('comment-dialog')).toBeHidden();
  await kb.press('1');
  await expect(review.id('queue-position')).toHaveText('Item 2 of 4');
  await expect(review.id('queue-progress')).toHaveText('1 / 4 done');
  await kb.press('u');
  await expect(review.id('queue-progress')).toHaveText('0 / 4 done');
  await expect(review.id('queue-position')).toHaveText('Item 1 of 4');
  expect(await review.itemId()).toBe(first);
  await kb.press('1');
  await expect(review.id('queue-position')).toHaveText('Item 2 of 4');
  await kb.press('2');
  await expect(review.id('queue-position')).toHaveText('Item 3 of 4');
  await kb.press('k'); // back: the vote is shown
  await expect(review.id('queue-position')).toHaveText('Item 2 of 4');
  await expect(review.id('item-voted')).toHaveText('voted: right');
  await kb.press('j');
  await expect(review.id('queue-position')).toHaveText('Item 3 of 4');
  await kb.press('d'); // word-diff highlighting on
  await expect(review.id('queue-diff')).toHaveAttribute('aria-pressed', 'true');
  await kb.press('3');
  await expect(review.id('queue-position')).toHaveText('Item 4 of 4');
  // The last item keeps its tag and comment (the first item's went with the undo).
  await kb.press('t');
  await kb.press('2');
  await kb.press('Enter');
  await expect(review.id('item-tag')).toHaveText(['rambling']);
  await kb.press('c');
  await review.id('comment-text').fill(`${reviewer} was here`);
  await kb.press('Enter');
  await expect(review.id('comment-dialog')).toBeHidden();
  await kb.press('1');
  await expect(review.id('queue-done')).toBeVisible();
  await expect(review.id('queue-progress')).toHaveText('4 / 4 done');
}
