// Portal mode: the share link's fragment is taken once, kept for the tab and removed from the address bar; the
// client reaches only the reviewer methods, with the reviewer's token, and has no events.
import { describe, expect, it } from 'vitest';
import type { CallRequest } from '../../../shared/contract';
import { PortalTransport, portalFragment, takePortal } from './portal';

function fakes(href: string) {
  const stored = new Map<string, string>();
  const replaced: string[] = [];
  const url = new URL(href);
  const location = { href, hash: url.hash, pathname: url.pathname, search: url.search } as Location;
  const history = {
    state: null,
    replaceState: (_s: unknown, _t: string, to: string) => replaced.push(to),
  } as unknown as History;
  const storage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, v),
  } as Storage;
  return { location, history, storage, replaced };
}

describe('takePortal', () => {
  it("reads round and token from the fragment the organiser's link carries, and strips the fragment", () => {
    const f = fakes(`http://10.0.0.5:4711/${portalFragment({ roundId: 'r-1', token: 'tok_en-9' })}`);
    expect(takePortal(f.location, f.history, f.storage)).toEqual({ roundId: 'r-1', token: 'tok_en-9' });
    expect(f.replaced).toEqual(['/']);
  });

  it('keeps the link for a reload of the tab', () => {
    const f = fakes('http://10.0.0.5:4711/#round=r-1&token=abc');
    takePortal(f.location, f.history, f.storage);
    const reloaded = { ...fakes('http://10.0.0.5:4711/'), storage: f.storage };
    expect(takePortal(reloaded.location, reloaded.history, reloaded.storage)).toEqual({ roundId: 'r-1', token: 'abc' });
  });

  it('is null for the app itself, including its section addresses', () => {
    for (const href of [
      'http://127.0.0.1:5000/',
      'http://127.0.0.1:5000/#/review?round=r-1',
      'http://127.0.0.1:5000/#round=r-1',
    ]) {
      const f = fakes(href);
      expect(takePortal(f.location, f.history, f.storage)).toBeNull();
      expect(f.replaced).toEqual([]);
    }
  });
});

describe('PortalTransport', () => {
  it('sends the reviewer methods with the share token and refuses every other call without sending it', async () => {
    const sent: [CallRequest, string][] = [];
    const transport = new PortalTransport('share-token', async (request, token) => {
      sent.push([request, token]);
      return { ok: true, result: null };
    });
    for (const method of ['queue', 'item', 'vote', 'undo']) {
      expect(await transport.call({ service: 'reviews', method, arg: { roundId: 'r' } })).toEqual({
        ok: true,
        result: null,
      });
    }
    expect(sent.map(([r, t]) => `${r.method}:${t}`)).toEqual([
      'queue:share-token',
      'item:share-token',
      'vote:share-token',
      'undo:share-token',
    ]);
    for (const [service, method] of [
      ['reviews', 'results'],
      ['reviews', 'list'],
      ['experiments', 'list'],
      ['users', 'current'],
    ]) {
      const answer = await transport.call({ service: service!, method: method!, arg: {} });
      expect(answer).toMatchObject({ ok: false, error: { kind: 'user', code: 'portal-only-review' } });
    }
    expect(sent).toHaveLength(4);
    // No event socket: subscribing is a no-op that still gives an unsubscribe.
    expect(typeof transport.subscribe()).toBe('function');
  });
});
