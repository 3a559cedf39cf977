// The Hub access token of this user, stored encrypted in the user-data folder: with the operating system's keychain
// where the desktop has one (Electron's safeStorage, passed in as a SecretCipher), else with AES-256-GCM under a key
// file of this user (owner-only permissions). The token is only ever returned to the hub client, never to a caller.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isErrnoException, readTextIfExists, removeQuietly, writeFileAtomic } from '../../platform/files/atomic';

export interface SecretCipher {
  /** 'os-keychain': the key is held by the operating system's keychain; 'encrypted-file': by a key file of this user. */
  readonly kind: 'os-keychain' | 'encrypted-file';
  encrypt(plain: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

const TOKEN_FILE = 'hub-token.enc';
const KEY_FILE = 'hub-token.key';
const OWNER_ONLY = 0o600;

export class TokenStore {
  private readonly file: string;
  constructor(
    userDataDir: string,
    private readonly cipher: SecretCipher,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.file = path.join(userDataDir, TOKEN_FILE);
  }

  get storage(): SecretCipher['kind'] {
    return this.cipher.kind;
  }

  async stored(): Promise<boolean> {
    return (await this.get()) !== null;
  }

  /** The token, or null when none is stored or it cannot be decrypted (then it must be set again). */
  async get(): Promise<string | null> {
    const text = await readTextIfExists(this.file);
    if (text === undefined) return null;
    try {
      return await this.cipher.decrypt(Buffer.from(text.trim(), 'base64'));
    } catch {
      // Its key has gone (another machine, a reset keychain): say so without the content.
      this.warn(`${this.file} cannot be decrypted with this user's key; set the Hub access token again.`);
      return null;
    }
  }

  async set(token: string): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const data = await this.cipher.encrypt(token);
    await writeFileAtomic(this.file, data.toString('base64'));
    await fs.chmod(this.file, OWNER_ONLY);
  }

  async clear(): Promise<void> {
    await removeQuietly(this.file);
  }
}

/**
 * AES-256-GCM under a random key kept in `<user data>/hub-token.key` (owner-only). Keeps the token out of settings
 * files, backups of the token file alone and casual reads; it does not protect against someone who can read both
 * files as this user.
 */
export function fileKeyCipher(userDataDir: string): SecretCipher {
  const keyFile = path.join(userDataDir, KEY_FILE);
  const key = async (): Promise<Buffer> => {
    try {
      return await fs.readFile(keyFile);
    } catch (error) {
      if (!(isErrnoException(error) && error.code === 'ENOENT')) throw error;
    }
    await fs.mkdir(userDataDir, { recursive: true });
    const fresh = randomBytes(32);
    try {
      await fs.writeFile(keyFile, fresh, { mode: OWNER_ONLY, flag: 'wx' });
      return fresh;
    } catch (error) {
      if (isErrnoException(error) && error.code === 'EEXIST') return fs.readFile(keyFile); // another writer won
      throw error;
    }
  };
  return {
    kind: 'encrypted-file',
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await key(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', await key(), data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
