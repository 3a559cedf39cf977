// Review share servers through the reviews service with real sockets and a real workspace db: bound only where the
// organiser chose (loopback by default), HTTPS by default elsewhere with the fingerprint the dialog shows, each token
// accepted only on the server it was issued for, Host/Origin refused, bad tokens throttled, and each server closed
// once its last live link is revoked or its round closes. 127.0.0.2 (Linux loopback) stands for a LAN address.
import fs from 'node:fs';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../shared/contract/define';
import type { Experiment } from '../../../shared/contract/experiments';
import { CreateRound, reviewsContract, ShareArg, type ShareInterface } from '../../../shared/contract/reviews';
import { Dispatcher } from '../../api/dispatcher';
import { startShareServer } from '../../host/review-share-server';
import { CERTIFICATE_FILE } from '../../host/share-certificate';
import { Database, workspaceMigrations } from '../../platform/db';
import { UsersService } from '../users';
import type { WorkspaceAccess } from '../workspace';
import { ReviewsService } from './reviews-service';
import { shareInterfaces, type ShareServerRequest } from './share-servers';

const LAN = '127.0.0.2';
const INTERFACES: ShareInterface[] = [
  { address: '127.0.0.1', name: 'lo', family: 'IPv4', loopback: true },
  { address: LAN, name: 'test0', family: 'IPv4', loopback: false },
];
const specs = ['spec-a', 'spec-b'];
const experiment = {
  id: 'exp-1',
  name: 'Fixture',
  spec: { metrics: [{ kind: 'exact_match' }] },
  cells: specs.map((id) => ({ specializationId: id, label: id, components: [], mask: null })),
} as unknown as Experiment;
const rows = Array.from({ length: 6 }, (_, i) => ({
  exampleIdx: i,
  key: `row-${i}`,
  input: { q: `${i}?` },
  reference: `${i}`,
  disagree: true,
  failed: false,
  outputs: specs.map((s) => ({
    text: `${s} says ${i}`,
    score: 1,
    finishReason: 'stop',
    promptTokens: 1,
    generatedTokens: 1,
    timeToFirstTokenMs: 1,
    totalMs: 1,
  })),
}));

let dir: string;
let db: Database;
let users: UsersService;
let reviews: ReviewsService;
let opened: ShareServerRequest[];
let active: { info: { id: string; path: string }; db: Database };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-share-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  active = { info: { id: 'ws', path: dir }, db };
  const workspace = { active } as unknown as WorkspaceAccess;
  const events = { emit: () => undefined };
  opened = [];
  users = new UsersService({ workspace, events, clock: () => new Date() });
  reviews = new ReviewsService({
    workspace,
    users,
    events,
    clock: () => new Date(),
    resamples: 10,
    interfaces: () => INTERFACES,
    experiments: { get: async () => experiment, outputs: async () => ({ total: rows.length, rows: rows as never }) },
    examples: () => [],
    specializationName: () => undefined,
    openShareServer: async (request, resolve) => {
      opened.push(request);
      return startShareServer(new Dispatcher({ reviews: reviewsContract }, { reviews }) as never, resolve, request);
    },
  });
});
afterEach(async () => {
  await reviews.dispose();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ctxOf = (userId: string): CallContext => ({ transport: 'test', userId });

async function setup() {
  const me = (await users.current())!;
  await users.setPassphrase({ id: me.id, next: 'owner passphrase' }); // an admin adds users only once protected
  const owner = ctxOf(me.id);
  const ann = await users.create({ name: 'Ann', role: 'reviewer' });
  const bob = await users.create({ name: 'Bob', role: 'reviewer' });
  const round = await reviews.createRound(
    CreateRound.parse({
      name: 'R',
      experimentId: 'exp-1',
      specializationIds: specs,
      reviewerIds: [ann.id, bob.id],
      itemsPerReviewer: 2,
    }),
    owner,
  );
  return { owner, ann, bob, round };
}

/**
 * One reviewer call over HTTP(S) as a reviewer's browser would make it; answers the status and the peer's fingerprint.
 */
function post(
  origin: string,
  body: unknown,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; fingerprint: string | null }> {
  const url = new URL(`${origin}/api/call/reviews/queue`);
  if (url.protocol === 'http:') {
    return fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'x-dovetail-token': token, ...headers },
    }).then((r) => ({ status: r.status, fingerprint: null }));
  }
  return new Promise((done, fail) => {
    const req = httpsRequest(
      url,
      { method: 'POST', rejectUnauthorized: false, headers: { 'x-dovetail-token': token, ...headers } },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, fingerprint }));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

/** Resolves with the connection error's code (the port has no listener), or 'connected'. */
const reach = (origin: string) =>
  fetch(origin).then(
    () => 'connected',
    (error: { cause?: { code?: string } }) => error.cause?.code ?? 'failed',
  );

describe('review share servers', () => {
  it('bind loopback over plain HTTP by default, and nowhere else', async () => {
    const { owner, ann, round } = await setup();
    const link = await reviews.share(ShareArg.parse({ roundId: round.id, reviewerId: ann.id }), owner);
    expect(opened).toEqual([expect.objectContaining({ host: '127.0.0.1', tls: false })]);
    expect(link).toMatchObject({
      host: '127.0.0.1',
      scheme: 'http',
      fingerprint256: null,
      origin: `http://127.0.0.1:${link.port}`,
    });
    expect((await post(link.origin, { roundId: round.id }, link.token)).status).toBe(200);
    expect(await reach(`http://${LAN}:${link.port}/`)).toBe('ECONNREFUSED');
  });

  it('bind the chosen address only, over HTTPS by default, with the certificate whose fingerprint the organiser is shown', async () => {
    const { owner, ann, bob, round } = await setup();
    const link = await reviews.share({ roundId: round.id, reviewerId: ann.id, host: LAN, port: 0 }, owner);
    expect(link).toMatchObject({ host: LAN, scheme: 'https', origin: `https://${LAN}:${link.port}` });
    expect(link.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const answer = await post(link.origin, { roundId: round.id }, link.token);
    expect(answer).toEqual({ status: 200, fingerprint: link.fingerprint256 });
    expect(await reach(`http://127.0.0.1:${link.port}/`)).toBe('ECONNREFUSED');
    // The key and certificate live in the workspace, owner-only, and are reused for the next link.
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, CERTIFICATE_FILE)).mode & 0o777).toBe(0o600);
    expect(
      (await reviews.share({ roundId: round.id, reviewerId: bob.id, host: LAN, port: 0 }, owner)).fingerprint256,
    ).toBe(link.fingerprint256);
    // Host and Origin must name this server; a token issued for loopback is not accepted here.
    expect(
      (await post(link.origin, { roundId: round.id }, link.token, { host: `evil.example:${link.port}` })).status,
    ).toBe(403);
    expect(
      (await post(link.origin, { roundId: round.id }, link.token, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(
      (await post(link.origin, { roundId: round.id }, link.token, { origin: `http://${LAN}:${link.port}` })).status,
    ).toBe(403);
    const local = await reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, owner);
    expect((await post(link.origin, { roundId: round.id }, local.token)).status).toBe(401);
  });

  it("refuse plain HTTP off loopback, wildcards and addresses that are not this machine's", async () => {
    const { owner, ann, round } = await setup();
    await expect(
      reviews.share({ roundId: round.id, reviewerId: ann.id, host: LAN, port: 0, tls: false }, owner),
    ).rejects.toMatchObject({ where: 'tls' });
    for (const host of ['0.0.0.0', '::', '203.0.113.9']) {
      await expect(
        reviews.share({ roundId: round.id, reviewerId: ann.id, host, port: 0 }, owner),
      ).rejects.toMatchObject({ where: 'host', message: `${host} is not an address of this machine` });
    }
    expect(opened).toEqual([]);
  });

  it('throttle wrong tokens from an address: 429 with the right one too, once the free tries are spent', async () => {
    const { owner, ann, round } = await setup();
    const link = await reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, owner);
    for (let i = 0; i < 5; i++) expect((await post(link.origin, { roundId: round.id }, `guess-${i}`)).status).toBe(401);
    expect((await post(link.origin, { roundId: round.id }, 'guess-5')).status).toBe(401);
    expect((await post(link.origin, { roundId: round.id }, link.token)).status).toBe(429);
  });

  it('close a server when its last live link is revoked, and when its round closes', async () => {
    const { owner, ann, bob, round } = await setup();
    const annLink = await reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, owner);
    const bobLink = await reviews.share({ roundId: round.id, reviewerId: bob.id, host: '127.0.0.1', port: 0 }, owner);
    const lanLink = await reviews.share({ roundId: round.id, reviewerId: bob.id, host: LAN, port: 0 }, owner);
    // Bob's new link (on the LAN address) replaced his loopback one; Ann's keeps loopback open.
    await reviews.revokeShare({ roundId: round.id, reviewerId: ann.id }, owner);
    expect(await reach(annLink.origin)).toBe('ECONNREFUSED');
    expect(bobLink.port).toBe(annLink.port);
    expect((await post(lanLink.origin, { roundId: round.id }, lanLink.token)).status).toBe(200);
    await reviews.close({ id: round.id }, owner);
    expect(await reach(`http://${LAN}:${lanLink.port}/`)).toBe('ECONNREFUSED');
    // Each interface was opened once: later links reused the running server.
    expect(opened.map((o) => o.host)).toEqual(['127.0.0.1', LAN]);
  });

  it('close when another workspace opens, whose db knows none of their links', async () => {
    const { owner, ann, round } = await setup();
    const link = await reviews.share({ roundId: round.id, reviewerId: ann.id, host: '127.0.0.1', port: 0 }, owner);
    const other = Database.create(path.join(dir, 'other.sqlite'), { migrations: workspaceMigrations });
    try {
      active.db = other;
      await reviews.pruneShares();
      expect(await reach(link.origin)).toBe('ECONNREFUSED');
    } finally {
      active.db = db;
      other.close();
    }
  });
});

describe('shareInterfaces', () => {
  it('lists loopback first, IPv4 before IPv6, without link-local IPv6', () => {
    const listed = shareInterfaces({
      eth0: [
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 2 },
        { address: 'fd00::2', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 },
        { address: '192.0.2.2', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
      ],
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
    });
    expect(listed.map((i) => `${i.name} ${i.address} ${i.loopback}`)).toEqual([
      'lo 127.0.0.1 true',
      'eth0 192.0.2.2 false',
      'eth0 fd00::2 false',
    ]);
  });
});
