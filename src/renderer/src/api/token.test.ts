// The token is taken from the address once, kept for the tab, and removed from the address bar.
import { describe, expect, it } from 'vitest';
import { takeToken } from './token';

function fakes(href: string) {
  const stored = new Map<string, string>();
  const replaced: string[] = [];
  const location = { href } as Location;
  const history = {
    state: null,
    replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
  } as unknown as History;
  const storage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, v),
  } as Storage;
  return { location, history, storage, replaced };
}

describe('takeToken', () => {
  it('takes the token from the query, keeps it, and strips only it from the address', () => {
    const f = fakes('http://127.0.0.1:5000/?token=abc&x=1#/prompts');
    expect(takeToken(f.location, f.history, f.storage)).toBe('abc');
    expect(f.replaced).toEqual(['/?x=1#/prompts']);
    expect(f.storage.getItem('dovetail.token')).toBe('abc');
  });

  it('falls back to the kept token after a reload', () => {
    const f = fakes('http://127.0.0.1:5000/?token=abc');
    takeToken(f.location, f.history, f.storage);
    f.location.href = 'http://127.0.0.1:5000/#/models';
    expect(takeToken(f.location, f.history, f.storage)).toBe('abc');
    expect(f.replaced).toHaveLength(1);
  });

  it('is null when there is none', () => {
    const f = fakes('http://127.0.0.1:5000/');
    expect(takeToken(f.location, f.history, f.storage)).toBeNull();
  });
});
