// The access token at rest: encrypted (the file never holds it in clear), owner-only files, a wrong key reads as "no
// token" with a warning that does not carry the token, and clear removes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileKeyCipher, TokenStore } from './token-store';

const TOKEN = 'hf_abcdefghijklmnopqrstuvwxyz012345';
let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-token-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('TokenStore with the key-file cipher', () => {
  it('stores the token encrypted in owner-only files and reads it back', async () => {
    const store = new TokenStore(dir, fileKeyCipher(dir));
    expect(await store.get()).toBeNull();
    await store.set(TOKEN);
    expect(await new TokenStore(dir, fileKeyCipher(dir)).get()).toBe(TOKEN);
    const onDisk = fs.readFileSync(path.join(dir, 'hub-token.enc'));
    expect(onDisk.toString('utf8')).not.toContain('hf_');
    expect(Buffer.from(onDisk.toString('utf8'), 'base64').toString('latin1')).not.toContain('hf_');
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, 'hub-token.enc')).mode & 0o077).toBe(0);
      expect(fs.statSync(path.join(dir, 'hub-token.key')).mode & 0o077).toBe(0);
    }
    expect(store.storage).toBe('encrypted-file');
    await store.clear();
    expect(await store.stored()).toBe(false);
  });

  it('reads a token encrypted under another key as none, warning without its content', async () => {
    await new TokenStore(dir, fileKeyCipher(dir)).set(TOKEN);
    fs.writeFileSync(path.join(dir, 'hub-token.key'), Buffer.alloc(32, 7));
    const warnings: string[] = [];
    const store = new TokenStore(dir, fileKeyCipher(dir), (message) => warnings.push(message));
    expect(await store.get()).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('set the Hub access token again');
    expect(warnings[0]).not.toContain(TOKEN);
  });
});
